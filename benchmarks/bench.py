#!/usr/bin/env python3
"""Driver of benchmarks/run.sh: runs every measurement in one go and writes docs/performance.md.

    python3 benchmarks/bench.py --lfadsc BIN --ap-types DIR --work DIR [--quick] [--hls4ml-python PY] \
        [--torch-python PY | --torch-log LOG]

Every comparison is interleaved (one run of each contender per repetition) and reported as the median of
the repetitions, because the machine is shared. Wall times and peak RSS come from os.wait4 of each child
(the numbers /usr/bin/time -v prints). Needs numpy and h5py (for the data files and the NumPy reference).

Section 2 also times lfads-torch's own forward (benchmarks/torch_forward.py) with --torch-python PY, or with this
python when neither --torch-python nor --torch-log is given and it imports torch and lfads_torch. LFADS_TORCH_SRC in
the environment (a directory holding the lfads_torch package) is put on that python's PYTHONPATH. --torch-log LOG:
the import check failed in run.sh; its last line is quoted in the report.
"""
import argparse
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The published template's data files (read-only reference material): LFADSC_TEMPLATE, or ../shared/peers next to
# the repository, or the shared location of this workspace.
TEMPLATE = os.environ.get("LFADSC_TEMPLATE") or next(
    (d for d in (os.path.join(os.path.dirname(REPO), "shared/peers/lfads-fpga-template"),
                 "/work/shared/peers/lfads-fpga-template") if os.path.isdir(d)),
    "/work/shared/peers/lfads-fpga-template")
PUBLISHED_CSIM_MS = 138.0  # the published fork's C-simulation time per trial (same machine class)
HAVE_TIME = os.access("/usr/bin/time", os.X_OK)
BEGIN, END = "<!-- bench:begin (written by benchmarks/run.sh) -->", "<!-- bench:end -->"


class Runner:
    def __init__(self, work, lfadsc):
        self.work, self.lfadsc, self.commands = work, lfadsc, []
        self.aliases = {}  # path -> name shown instead (e.g. an interpreter outside the repository)

    def show(self, cmd, env=None):
        text = " ".join(shlex.quote(c) for c in cmd)
        if env is not None and env.get("PYTHONPATH") != os.environ.get("PYTHONPATH"):
            text = f"PYTHONPATH={shlex.quote(env.get('PYTHONPATH', ''))} {text}"
        for path, name in self.aliases.items():
            text = text.replace(path, name)
        text = text.replace(self.work, "$WORK").replace(self.lfadsc, "lfadsc").replace(REPO + "/", "")
        return text.replace(sys.executable, "python3")

    def run(self, cmd, env=None, note=True):
        """Runs cmd; returns (wall s, peak RSS MB, exit code, stdout, stderr, CPU s = user + sys).

        The child runs under /usr/bin/time: a child forked straight from this Python process would report
        Python's own resident set as its peak (Linux carries maxrss across exec)."""
        if note:
            shown = self.show(cmd, env)
            if shown not in self.commands:
                self.commands.append(shown)
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
                tempfile.NamedTemporaryFile(mode="r") as tf:
            full = ["/usr/bin/time", "-f", "%M %U %S", "-o", tf.name, *cmd] if HAVE_TIME else cmd
            start = time.perf_counter()
            p = subprocess.Popen(full, stdout=out, stderr=err, env=env)
            _, status, usage = os.wait4(p.pid, 0)
            seconds = time.perf_counter() - start
            p.returncode = os.waitstatus_to_exitcode(status)
            rss, cpu = usage.ru_maxrss / 1024.0, usage.ru_utime + usage.ru_stime
            if HAVE_TIME:
                fields = tf.read().split()
                try:
                    rss, cpu = int(fields[-3]) / 1024.0, float(fields[-2]) + float(fields[-1])
                except (IndexError, ValueError):
                    pass
            out.seek(0)
            err.seek(0)
            return (seconds, rss, p.returncode, out.read().decode(errors="replace"),
                    err.read().decode(errors="replace"), cpu)

    def interleaved(self, cases, reps):
        """cases: {name: cmd}. Runs each once per repetition, in turn; returns {name: [(s, MB)]}."""
        got = {name: [] for name in cases}
        for _ in range(reps):
            for name, cmd in cases.items():
                env = None
                if isinstance(cmd, tuple):
                    cmd, env = cmd
                s, mb, rc, out, err, cpu = self.run(cmd, env)
                if rc != 0:
                    raise RuntimeError(f"{name}: exit {rc}: {self.show(cmd, env)}\n{err.strip()[-2000:]}")
                got[name].append((s, mb, out, cpu))
        return got


def med(samples):
    return statistics.median(x[0] for x in samples)


def med_cpu(samples):
    return statistics.median(x[3] for x in samples)


def spread(samples):
    xs = [x[0] for x in samples]
    return f"{min(xs):.3f}–{max(xs):.3f}"


def first_line(text):
    lines = [l for l in text.strip().splitlines() if l.strip()]
    return lines[-1].strip() if lines else "(no message)"


def warm_rate(samples, trials):
    """Trials/s of the simulation alone from `simulate --repeat K --json` runs: each run's first repetition warms
    caches and allocator up (as the NumPy and lfads-torch benches do one untimed forward first); the rest are
    pooled over all runs of the case."""
    secs = []
    for _, _, out, _ in samples:
        runs = json.loads(out)["simulate_seconds"]
        secs += runs[1:] if len(runs) > 1 else runs
    return trials / statistics.median(secs) if secs else float("nan")


def machine(r, args):
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.strip().splitlines()
    gxx = subprocess.run(["g++", "--version"], capture_output=True, text=True).stdout.strip().splitlines()
    import numpy
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "swift": swift[0] if swift else "?",
        "gxx": gxx[0] if gxx else "?",
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "quick": args.quick,
    }


# ---------------------------------------------------------------- 1. bit-accurate simulation vs C-simulation

def bench_template(r, args, reps, res):
    work, bin_ = args.work, args.lfadsc
    model = f"{TEMPLATE}/keras_model.h5"
    n = 40 if args.quick else 200
    trials = f"{work}/template_{n}.dat"
    r.run([sys.executable, f"{REPO}/benchmarks/make_template_trials.py", f"{TEMPLATE}/tb_input_features.dat",
           str(n), trials])
    prj = f"{work}/template_prj"
    s, _, rc, _, err, _ = r.run([bin_, "compile", model, "-o", prj, "-f"])
    if rc != 0:
        raise RuntimeError(f"compile of the template failed: {first_line(err)}")
    shutil.rmtree(f"{prj}/csim", ignore_errors=True)
    s_make, _, rc, _, err, _ = r.run(["make", "-C", prj, "csim", f"AP_TYPES={args.ap_types}"])
    if rc != 0:
        raise RuntimeError(f"make csim failed: {first_line(err)}")
    res["csim_build_s"] = s_make
    csim = f"{prj}/csim"
    # Probe the C-simulation speed to choose how many trials it runs (it is the slow contender).
    probe = f"{work}/template_probe.dat"
    with open(trials) as f, open(probe, "w") as g:
        g.writelines(line for _, line in zip(range(3), f))
    s3, _, _, _, _, _ = r.run([csim, probe, f"{work}/probe_out.dat"], note=False)
    per = max(s3 / 3, 1e-3)
    nc = max(5, min(n, int((6 if args.quick else 15) / per)))
    csim_in = f"{work}/template_csim_{nc}.dat"
    with open(trials) as f, open(csim_in, "w") as g:
        g.writelines(line for _, line in zip(range(nc), f))
    one = f"{work}/template_1.dat"
    with open(trials) as f, open(one, "w") as g:
        g.write(f.readline())

    def sim(data, out, threads, *extra):
        return [bin_, "simulate", data, "-m", model, "-o", out, "-f", "--threads", str(threads), "-q", *extra]

    cases = {
        "ours_fixed_t1_N": sim(trials, f"{work}/ours_N.dat", 1),
        "ours_fixed_t2_N": sim(trials, f"{work}/ours_N2.dat", 2),
        "ours_fixed_t1_1": sim(one, f"{work}/ours_1.dat", 1),
        "ours_float_t1_N": sim(trials, f"{work}/ours_float_N.dat", 1, "--float"),
        "ours_warm_t1": sim(trials, f"{work}/ours_warm1.dat", 1, "--repeat", "4", "--json"),
        "ours_warm_t2": sim(trials, f"{work}/ours_warm2.dat", 2, "--repeat", "4", "--json"),
        "csim_Nc": [csim, csim_in, f"{work}/csim_Nc.dat"],
        "csim_1": [csim, one, f"{work}/csim_1.dat"],
    }
    got = r.interleaved(cases, reps)
    with open(f"{work}/ours_N.dat") as f:
        ours = f.read().splitlines()
    with open(f"{work}/ours_N2.dat") as f:
        ours2 = f.read().splitlines()
    with open(f"{work}/csim_Nc.dat") as f:
        theirs = f.read().splitlines()
    same = ours[:nc] == theirs and ours == ours2
    m = {k: med(v) for k, v in got.items()}
    c = {k: med_cpu(v) for k, v in got.items()}

    def excl(tn, t1, count):  # per trial with the start-up (a 1-trial run minus one trial) removed
        return (tn - t1) / (count - 1) if count > 1 and tn > t1 else float("nan")

    rows = []
    for label, key, count, one_key in [
        ("lfadsc simulate (bit-accurate), 1 thread", "ours_fixed_t1_N", n, "ours_fixed_t1_1"),
        ("lfadsc simulate (bit-accurate), 2 threads", "ours_fixed_t2_N", n, "ours_fixed_t1_1"),
        ("lfadsc simulate --float, 1 thread", "ours_float_t1_N", n, None),
        ("emitted HLS C++, g++ -O2 csim", "csim_Nc", nc, "csim_1"),
    ]:
        incl = m[key] / count
        ex = excl(m[key], m[one_key], count) if one_key else float("nan")
        cex = excl(c[key], c[one_key], count) if one_key else float("nan")
        rows.append(dict(label=label, trials=count, wall=m[key], spread=spread(got[key]),
                         incl_ms=1e3 * incl, excl_ms=1e3 * ex, cpu_ms=1e3 * c[key] / count, cpu_excl_ms=1e3 * cex))
    res["template"] = dict(trials=n, csim_trials=nc, identical=same, rows=rows,
                           warm_ms={k: 1e3 / warm_rate(got[f"ours_warm_t{k}"], n) for k in (1, 2)},
                           startup_ours_s=m["ours_fixed_t1_1"], startup_csim_s=m["csim_1"])


def template_md(res):
    t = res["template"]
    fixed1, fixed2, flt, csim = t["rows"]
    out = ["## 1. Bit-accurate simulation of the template model vs C-simulation", "",
           f"Template QKeras model, {t['trials']} trials (the test-bench trial + random Poisson spikes at its rate, "
           f"73×70 spikes + 73×64 zeros). The g++ C-simulation of the HLS C++ that `lfadsc compile` emits runs "
           f"the first {t['csim_trials']} of them. `make csim` (g++ -O2 build of the project) took "
           f"{res['csim_build_s']:.1f} s. Outputs of lfadsc (1 and 2 threads) and of the C-simulation are "
           f"**{'byte-identical' if t['identical'] else 'NOT identical'}** on the common trials.", "",
           "Wall time is what a user waits for on this loaded machine; CPU time (user + sys of the process, "
           "from /usr/bin/time) is what the work costs and is much less sensitive to the other tenants.", "",
           "| Simulator | trials/run | median wall s (min–max) | wall ms/trial incl. start-up | wall ms/trial excl. start-up | trials/s (wall, excl.) | CPU ms/trial incl. | CPU ms/trial excl. |",
           "|---|---:|---:|---:|---:|---:|---:|---:|"]

    def num(v, fmt):
        return "—" if v != v else format(v, fmt)

    for row in t["rows"]:
        ex = row["excl_ms"]
        out.append(f"| {row['label']} | {row['trials']} | {row['wall']:.3f} ({row['spread']}) | "
                   f"{row['incl_ms']:.2f} | {num(ex, '.2f')} | {num(1e3 / ex if ex == ex else ex, '.0f')} | "
                   f"{row['cpu_ms']:.2f} | {num(row['cpu_excl_ms'], '.2f')} |")
    out += ["", "Start-up (a run on one trial): lfadsc {:.3f} s (model import, quantisation, lowering), "
            "C-simulation {:.3f} s. \"Excl. start-up\" is (wall(N) − wall(1)) / (N − 1).".format(
                t["startup_ours_s"], t["startup_csim_s"]), ""]
    out += ["| Speed-up of the bit-accurate simulator (excl. start-up) | wall, 1 thread | wall, 2 threads | CPU time, 1 thread | goal |",
            "|---|---:|---:|---:|---:|"]
    ex1, ex2, exc = fixed1["excl_ms"], fixed2["excl_ms"], csim["excl_ms"]
    cx1, cxc = fixed1["cpu_excl_ms"], csim["cpu_excl_ms"]
    in1, in2, inc = fixed1["incl_ms"], fixed2["incl_ms"], csim["incl_ms"]
    p = PUBLISHED_CSIM_MS
    out.append(f"| vs the published fork's C-simulation ({p:.0f} ms/trial) | {p / ex1:.1f}× | {p / ex2:.1f}× | "
               f"{p / cx1:.1f}× | ≥ 100× |")
    out.append(f"| vs our emitted C-simulation (g++ -O2) | {exc / ex1:.1f}× | {exc / ex2:.1f}× | {cxc / cx1:.1f}× | ≥ 20× |")
    out.append(f"| vs our emitted C-simulation, start-up included | {inc / in1:.1f}× | {inc / in2:.1f}× | "
               f"{csim['cpu_ms'] / fixed1['cpu_ms']:.1f}× | |")
    w1, w2 = t["warm_ms"][1], t["warm_ms"][2]
    out += ["", "The simulation alone, in one process (`simulate --repeat 4 --json`: the model lowered and the trials "
            "read once, then simulated 4 times; the first repetition of each run is a warm-up, the median of the rest "
            "is shown) — the way the NumPy and lfads-torch figures of section 2 are taken. It leaves out reading "
            "the text input, writing the exact-decimal output and the allocator's first touch of fresh memory, which "
            "the whole-process figures above include:", "",
            "| lfadsc simulate, in-process | ms/trial | trials/s | vs the published 138 ms | vs our emitted C-simulation |",
            "|---|---:|---:|---:|---:|",
            f"| 1 thread | {w1:.3f} | {1e3 / w1:.0f} | {p / w1:.1f}× | {exc / w1:.1f}× |",
            f"| 2 threads | {w2:.3f} | {1e3 / w2:.0f} | {p / w2:.1f}× | {exc / w2:.1f}× |", ""]
    return out


# ---------------------------------------------------------------- 2. float path vs NumPy and lfads-torch (lorenz)

ONE_THREAD = dict(OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")


def bench_lorenz(r, args, reps, res):
    import h5py
    import numpy as np
    work, bin_ = args.work, args.lfadsc
    data = f"{REPO}/examples/lorenz/data/lorenz.h5"
    models = {m: f"{REPO}/examples/lorenz/models/{m}.h5" for m in ("lorenz_con", "lorenz_nocon", "lorenz_con_tf1")}
    fixed = {}
    for name, path in models.items():
        _, _, rc, _, err, _ = r.run([bin_, "simulate", data, "-m", path, "--trials", "0:2", "-o", f"{work}/fx_{name}.dat",
                                  "-f", "-q"])
        fixed[name] = "works" if rc == 0 else f"fails: {first_line(err)}"
    res["lorenz_fixed"] = fixed
    batch = 256
    big = f"{work}/lorenz_{batch}.h5"
    with h5py.File(data, "r") as f:
        valid = f["valid_encod_data"][()]
    with h5py.File(big, "w") as f:
        f.create_dataset("valid_encod_data", data=np.concatenate([valid] * (-(-batch // len(valid))))[:batch])
    model = models["lorenz_con"]
    k1 = 50 if args.quick else 200
    kb = 2 if args.quick else 4
    single = dict(os.environ, **ONE_THREAD)
    numpy_cmd = [sys.executable, f"{REPO}/tools/lfads_numpy_reference.py", model, big]

    def sim(trials, threads):
        return [bin_, "simulate", big, "-m", model, "--float", "--trials", trials, "--threads", str(threads),
                "-o", f"{work}/lz_{trials.replace(':', '_')}_{threads}.dat", "-f", "-q"]

    torch_cmd, torch_env = torch_setup(r, args, big, work, res)
    k1t = 20 if args.quick else 60  # lfads-torch at batch 1 is slow (~20 trials/s): fewer repetitions

    cases = {
        "ours_t1_256": sim(f"0:{batch}", 1),
        "ours_t2_256": sim(f"0:{batch}", 2),
        "ours_t1_1": sim("0:1", 1),
        "ours_warm_b256_t1": sim(f"0:{batch}", 1) + ["--repeat", str(kb + 1), "--json"],
        "ours_warm_b256_t2": sim(f"0:{batch}", 2) + ["--repeat", str(kb + 1), "--json"],
        "ours_warm_b1": sim("0:1", 1) + ["--repeat", str(k1 + 1), "--json"],
        "numpy_b1_1t": (numpy_cmd + ["--bench", str(k1), "--batch", "1"], single),
        "numpy_b256_1t": (numpy_cmd + ["--bench", str(kb), "--batch", str(batch)], single),
        "numpy_b256_all": (numpy_cmd + ["--bench", str(kb), "--batch", str(batch)], None),
    }
    if torch_cmd:
        timed = torch_cmd + ["--bench", f"1:{k1t}", "--bench", f"{batch}:{kb}", "--dtype", "float32", "--dtype", "float64"]
        cases["torch_1t"] = (timed + ["--threads", "1"], dict(torch_env, **ONE_THREAD))
        cases["torch_all"] = (timed, torch_env)
    got = r.interleaved(cases, reps)
    m = {k: med(v) for k, v in got.items()}

    def rate(samples):
        xs = [float(re.search(r"-> ([0-9.]+) trials/s", o).group(1)) for _, _, o, _ in samples]
        return statistics.median(xs)

    excl = lambda key: (batch - 1) / (m[key] - m["ours_t1_1"]) if m[key] > m["ours_t1_1"] else float("nan")
    res["lorenz"] = dict(batch=batch, numpy_b1=rate(got["numpy_b1_1t"]), numpy_b256=rate(got["numpy_b256_1t"]),
                         numpy_b256_all=rate(got["numpy_b256_all"]), ours_1=1 / m["ours_t1_1"],
                         ours_t1=batch / m["ours_t1_256"], ours_t2=batch / m["ours_t2_256"],
                         ours_t1_ex=excl("ours_t1_256"), ours_t2_ex=excl("ours_t2_256"),
                         warm_b256_t1=warm_rate(got["ours_warm_b256_t1"], batch),
                         warm_b256_t2=warm_rate(got["ours_warm_b256_t2"], batch), warm_b1=warm_rate(got["ours_warm_b1"], 1),
                         k1=k1, kb=kb)
    if torch_cmd:
        runs = {key: [torch_result(o) for _, _, o, _ in got[key]] for key in ("torch_1t", "torch_all")}
        rates = {}
        for key, results in runs.items():
            for dtype in ("float32", "float64"):
                for b in ("1", str(batch)):
                    rates[f"{key}_{dtype}_{b}"] = statistics.median(x["rate"][dtype][b] for x in results)
        res["torch"].update(rates=rates, threads_default=runs["torch_all"][0]["threads"], k1=k1t, kb=kb)


TORCH_IMPORT = "import torch, h5py, lfads_torch.model"


def torch_result(stdout):
    m = re.search(r"^RESULT (\{.*\})$", stdout, re.M)
    if not m:
        raise RuntimeError(f"torch_forward.py printed no RESULT line: {first_line(stdout)}")
    return json.loads(m.group(1))


def torch_setup(r, args, data, work, res):
    """Checks that lfads-torch runs and that its rates agree with lfadsc --float on the batch file.

    Returns (command prefix of benchmarks/torch_forward.py, environment), or (None, None) with res["torch"]
    saying why it is not measured."""
    if args.torch_log:
        with open(args.torch_log, errors="replace") as f:
            why = first_line(f.read())
        res["torch"] = dict(why=f"`$TORCH_VENV/bin/python -c \"{TORCH_IMPORT}\"` fails in run.sh: `{why}`")
        return None, None
    py = args.torch_python or sys.executable
    env = dict(os.environ)
    src = os.environ.get("LFADS_TORCH_SRC")
    if src:
        env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        r.aliases[src] = "$LFADS_TORCH_SRC"
    shown = "$TORCH_PYTHON" if args.torch_python else "python3"
    try:
        check = subprocess.run([py, "-c", TORCH_IMPORT], capture_output=True, text=True, env=env)
        rc, why = check.returncode, first_line(check.stderr)
    except OSError as e:
        rc, why = 1, f"{type(e).__name__}: {e.strerror}"
    if rc != 0:
        where = " (PYTHONPATH=$LFADS_TORCH_SRC)" if src else " (LFADS_TORCH_SRC not set)"
        res["torch"] = dict(why=f"`{shown} -c \"{TORCH_IMPORT}\"`{where} gives `{why}`")
        return None, None
    out_h5 = f"{work}/lz_float_agree.h5"
    _, _, rc, _, err, _ = r.run([args.lfadsc, "simulate", data, "-m", f"{REPO}/examples/lorenz/models/lorenz_con.h5",
                                 "--float", "--threads", "1", "-o", out_h5, "-f", "-q"])
    if rc != 0:
        res["torch"] = dict(why=f"lfadsc simulate --float for the agreement check failed: {first_line(err)}")
        return None, None
    cmd = [py, f"{REPO}/benchmarks/torch_forward.py", f"{REPO}/examples/lorenz/models/lorenz_con.h5", data]
    _, _, rc, out, err, _ = r.run(cmd + ["--threads", "1", "--dtype", "float32", "--dtype", "float64",
                                         "--compare", out_h5], env)
    if rc != 0:
        res["torch"] = dict(why=f"benchmarks/torch_forward.py failed: `{first_line(err)}`")
        return None, None
    result = torch_result(out)
    agree = {dtype: v[os.path.basename(out_h5)] for dtype, v in result["compare"].items()}
    res["torch"] = dict(version=result["torch"], lightning=result["pytorch_lightning"], agree=agree,
                        src_env=bool(src))
    return cmd, env


def lorenz_md(res):
    z = res["lorenz"]
    out = ["## 2. Float simulation vs the NumPy reference and lfads-torch (lorenz_con)", "",
           "lfadsc `simulate --float` (Double) against `tools/lfads_numpy_reference.py` (float64, vectorised over "
           f"the batch) on the Lorenz example with the controller. The {z['batch']}-trial input repeats the 80 "
           "validation trials. The NumPy figures are measured inside one Python process after a warm-up (no "
           f"start-up): {z['k1']} repetitions of batch 1 and {z['kb']} of batch {z['batch']}; so are lfads-torch's. "
           "lfadsc is measured both ways: as whole processes (start-up, reading the .h5, writing the .dat; "
           "\"excl. start-up\" subtracts a 1-trial run), and in-process with `simulate --repeat K+1 --json` "
           "(the simulation alone, first repetition a warm-up, median of the rest).", "",
           "| Contender | batch 1 (trials/s) | batch 256 (trials/s) | batch 256, excl. start-up |", "|---|---:|---:|---:|",
           f"| lfadsc --float, 1 thread, in-process | {z['warm_b1']:.1f} | {z['warm_b256_t1']:.0f} | (in-process) |",
           f"| lfadsc --float, 2 threads, in-process | — | {z['warm_b256_t2']:.0f} | (in-process) |",
           f"| lfadsc --float, 1 thread, whole process | {z['ours_1']:.1f} | {z['ours_t1']:.0f} | {z['ours_t1_ex']:.0f} |",
           f"| lfadsc --float, 2 threads, whole process | — | {z['ours_t2']:.0f} | {z['ours_t2_ex']:.0f} |",
           f"| NumPy float64, 1 BLAS thread | {z['numpy_b1']:.1f} | {z['numpy_b256']:.0f} | (in-process) |",
           f"| NumPy float64, default BLAS threads | — | {z['numpy_b256_all']:.0f} | (in-process) |",
           *torch_rows(res, z), "", *torch_md(res, z), "",
           "Bit-accurate (fixed-point) path on the lfads-torch/TF1 Lorenz models (`lfadsc simulate lorenz.h5 -m MODEL "
           "--trials 0:2`):", ""]
    for name, status in res["lorenz_fixed"].items():
        out.append(f"- {name}: {status}")
    out.append("")
    return out


TORCH_AGREE_LIMIT = 1e-4  # max |rate difference| (counts per bin) accepted between lfads-torch and lfadsc --float


def torch_rows(res, z):
    t = res.get("torch", {})
    if "rates" not in t:
        return []
    q = t["rates"]
    rows, batch = [], z["batch"]
    for dtype in ("float32", "float64"):
        for key, label in (("torch_1t", "1 thread"), ("torch_all", f"default threads ({t['threads_default']})")):
            b1, bn = q[f"{key}_{dtype}_1"], q[f"{key}_{dtype}_{batch}"]
            rows.append(f"| lfads-torch forward, {dtype}, {label} | {b1:.1f} | {bn:.0f} | (in-process) |")
    return rows


def torch_md(res, z):
    t = res.get("torch", {})
    if "why" in t:
        return [f"lfads-torch (PyTorch): not measured — {t['why']}."]
    if "agree" not in t:
        return ["lfads-torch (PyTorch): not measured (the Lorenz section stopped before it)."]
    a32, a64 = t["agree"]["float32"], t["agree"]["float64"]
    ok = max(a32["max_abs"], a64["max_abs"]) <= TORCH_AGREE_LIMIT
    out = [f"lfads-torch rows: its own `LFADS` module (torch {t['version']}, pytorch-lightning {t['lightning']}, "
           "lfads_torch from `$LFADS_TORCH_SRC`) rebuilt by `examples/lorenz/lorenz_models.py` and loaded strictly "
           "with the exported weights, running `LFADS.forward` with posterior means in eval mode (the pass of "
           "`examples/lorenz/make_reference.py`) through `benchmarks/torch_forward.py`; in-process after a warm-up, "
           f"{t.get('k1', '?')} repetitions of batch 1 and {t.get('kb', '?')} of batch {z['batch']}, "
           "`torch.set_num_threads(1)` (and OMP/MKL/OpenBLAS at 1) or torch's default.", "",
           f"Agreement with lfadsc `simulate --float` on the same {a32['trials']} trials: max |rate difference| "
           f"{a32['max_abs']:.2e} counts/bin with lfads-torch in float32 ({a32['max_rel']:.1e} of the largest rate "
           f"{a32['max_rate']:.1f}), {a64['max_abs']:.2e} in float64 — "
           f"**{'within' if ok else 'NOT within'} {TORCH_AGREE_LIMIT:g}**."]
    return out


# ---------------------------------------------------------------- 3. compile / estimate / hls4ml

def bench_compile(r, args, reps, res):
    work, bin_ = args.work, args.lfadsc
    models = {"template (QKeras)": f"{TEMPLATE}/keras_model.h5"}
    for m in ("lorenz_con", "lorenz_nocon", "lorenz_con_tf1"):
        models[m] = f"{REPO}/examples/lorenz/models/{m}.h5"
    cases, status = {}, {}
    for i, (name, path) in enumerate(models.items()):
        for kind, cmd in [("compile", [bin_, "compile", path, "-o", f"{work}/prj_{i}", "-f"]),
                          ("estimate", [bin_, "estimate", path])]:
            _, _, rc, _, err, _ = r.run(cmd, note=False)
            status[(name, kind)] = "ok" if rc == 0 else f"fails: {first_line(err)}"
            if rc == 0:
                cases[(name, kind)] = cmd
    cases[("template (QKeras)", "compile --strategy resource --reuse 70")] = [
        bin_, "compile", models["template (QKeras)"], "-o", f"{work}/prj_r70", "-f", "--strategy", "resource",
        "--reuse", "70"]
    named = {f"{a}|{b}": c for (a, b), c in cases.items()}
    got = r.interleaved(named, reps)
    rows = []
    for (name, kind) in list(status) + [("template (QKeras)", "compile --strategy resource --reuse 70")]:
        key = f"{name}|{kind}"
        if key in got:
            rows.append((name, kind, f"{med(got[key]):.3f}", f"{max(x[1] for x in got[key]):.0f}"))
        else:
            rows.append((name, kind, status[(name, kind)], "—"))
    res["compile"] = rows
    res["hls4ml"] = bench_hls4ml(r, args)


HLS4ML_SNIPPET = r"""
import sys, time
t0 = time.perf_counter()
import hls4ml, qkeras, tensorflow as tf
from qkeras.utils import _add_supported_quantized_objects
t1 = time.perf_counter()
co = {}
_add_supported_quantized_objects(co)
model = tf.keras.models.load_model(sys.argv[1], custom_objects=co, compile=False)
config = hls4ml.utils.config_from_keras_model(model, granularity="name")
t2 = time.perf_counter()
hm = hls4ml.converters.convert_from_keras_model(model, hls_config=config, output_dir=sys.argv[2],
                                                part="xcu55c-fsvh2892-2L-e", backend="Vivado")
t3 = time.perf_counter()
hm.write()
t4 = time.perf_counter()
print(f"RESULT import={t1 - t0:.3f} load={t2 - t1:.3f} convert={t3 - t2:.3f} write={t4 - t3:.3f}")
"""


def bench_hls4ml(r, args):
    log = args.hls4ml_log
    why = ""
    if log and os.path.exists(log):
        with open(log, errors="replace") as f:
            why = first_line(f.read())
    if not args.hls4ml_python or not os.path.exists(args.hls4ml_python):
        if not why:
            return "not measured: not attempted in this run (HLS4ML=1 tries to install it)"
        return f"not measured: hls4ml + TensorFlow + QKeras did not install or import; last log line: `{why}`"
    script = f"{args.work}/hls4ml_convert.py"
    with open(script, "w") as f:
        f.write(HLS4ML_SNIPPET)
    s, _, rc, out, err, _ = r.run([args.hls4ml_python, script, f"{TEMPLATE}/keras_model.h5", f"{args.work}/hls4ml_prj"])
    if rc != 0:
        return f"not measured: the hls4ml conversion failed ({first_line(err)})"
    m = re.search(r"RESULT (.*)", out)
    return f"hls4ml 1.3.0 convert + write of the template: {m.group(1) if m else '?'} s (whole process {s:.2f} s, one run)"


def compile_md(res):
    out = ["## 3. Compile and estimate wall time", "",
           "Whole `lfadsc` processes (median of the repetitions; peak RSS is the largest seen).", "",
           "| Model | Command | median wall s | peak RSS MB |", "|---|---|---:|---:|"]
    for name, kind, s, mb in res["compile"]:
        out.append(f"| {name} | `lfadsc {kind}` | {s} | {mb} |")
    out += ["", f"hls4ml: {res['hls4ml']}.", ""]
    return out


# ---------------------------------------------------------------- 4. scaling

def bench_scaling(r, args, reps, res):
    work, bin_ = args.work, args.lfadsc
    base = dict(neurons=40, bins=50, gen=64)
    sweeps = {"bins": [50, 100, 200, 400, 800], "neurons": [40, 100, 200, 400, 800], "gen": [32, 64, 128, 256, 512]}
    if args.quick:
        sweeps = {k: v[::2] for k, v in sweeps.items()}
    trials = 20 if args.quick else 100  # enough work per process for /usr/bin/time's 10 ms CPU resolution
    configs = []
    for axis, values in sweeps.items():
        for v in values:
            size = dict(base, **{axis: v})
            tag = f"D{size['neurons']}_T{size['bins']}_G{size['gen']}"
            mdl, dat = f"{work}/sized_{tag}.h5", f"{work}/sized_{tag}_data.h5"
            # Always regenerated: a file left by an earlier run may hold another trial count.
            r.run([sys.executable, f"{REPO}/tools/make_sized_lfads.py", mdl, "--neurons", str(size["neurons"]),
                   "--bins", str(size["bins"]), "--gen", str(size["gen"]), "--data", dat, "--trials", str(trials)])
            configs.append((axis, v, tag, mdl, dat))
    cases = {}
    for _, _, tag, mdl, dat in configs:
        cases[tag] = [bin_, "simulate", dat, "-m", mdl, "--float", "--threads", "1", "-o", f"{work}/sized_{tag}.dat",
                      "-f", "-q"]
    got = r.interleaved(cases, reps)
    rows = []
    for axis, v, tag, _, _ in configs:
        s = med(got[tag])
        rows.append(dict(axis=axis, value=v, tag=tag, wall=s, ms=1e3 * s / trials,
                         cpu_ms=1e3 * med_cpu(got[tag]) / trials, rss=max(x[1] for x in got[tag])))
    res["scaling"] = dict(trials=trials, base=base, rows=rows)


def scaling_svg(sc, path):
    axes = [("bins", "bins T"), ("neurons", "neurons D"), ("gen", "generator size")]
    metrics = [("cpu_ms", "CPU ms per trial (incl. start-up)"), ("rss", "peak RSS (MB)")]
    pw, ph, ml, mt, gap = 230, 150, 55, 30, 40
    width = ml + 3 * (pw + gap)
    height = mt + 2 * (ph + gap + 20)
    # No xmlns attribute: the project names no internet host anywhere, and the SVG namespace is a URL.
    parts = [f'<svg width="{width}" height="{height}" font-family="sans-serif" '
             f'font-size="11">', f'<rect width="{width}" height="{height}" fill="white"/>',
             f'<text x="{ml}" y="16" font-size="13">lfadsc simulate --float, 1 thread, {sc["trials"]} trials; '
             f'base D={sc["base"]["neurons"]}, T={sc["base"]["bins"]}, generator {sc["base"]["gen"]}</text>']
    for mi, (key, ylabel) in enumerate(metrics):
        for ai, (axis, xlabel) in enumerate(axes):
            pts = [row for row in sc["rows"] if row["axis"] == axis]
            x0, y0 = ml + ai * (pw + gap), mt + mi * (ph + gap + 20)
            ymax = max(row[key] for row in pts) * 1.1 or 1
            parts.append(f'<rect x="{x0}" y="{y0}" width="{pw}" height="{ph}" fill="none" stroke="#888"/>')
            for k in range(5):
                yv = ymax * k / 4
                yy = y0 + ph - ph * k / 4
                parts.append(f'<line x1="{x0 - 3}" y1="{yy:.1f}" x2="{x0}" y2="{yy:.1f}" stroke="#888"/>')
                parts.append(f'<text x="{x0 - 5}" y="{yy + 4:.1f}" text-anchor="end">{yv:.3g}</text>')
            coords = []
            for i, row in enumerate(pts):
                xx = x0 + pw * (i + 0.5) / len(pts)
                yy = y0 + ph - ph * row[key] / ymax
                coords.append(f"{xx:.1f},{yy:.1f}")
                parts.append(f'<circle cx="{xx:.1f}" cy="{yy:.1f}" r="3" fill="#1f77b4"/>')
                parts.append(f'<text x="{xx:.1f}" y="{y0 + ph + 14}" text-anchor="middle">{row["value"]}</text>')
            parts.append(f'<polyline points="{" ".join(coords)}" fill="none" stroke="#1f77b4" stroke-width="1.5"/>')
            parts.append(f'<text x="{x0 + pw / 2}" y="{y0 + ph + 28}" text-anchor="middle">{xlabel}</text>')
            parts.append(f'<text x="{x0 + 4}" y="{y0 + 13}" fill="#444">{ylabel}</text>')
    parts.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(parts) + "\n")


def scaling_md(res):
    sc = res["scaling"]
    b = sc["base"]
    out = ["## 4. Scaling of the float simulator", "",
           f"Random-weight lfads-torch exports from `tools/make_sized_lfads.py` (no controller, ic encoder 32, ic 16, "
           f"8 factors), {sc['trials']} Poisson trials each, `lfadsc simulate --float --threads 1`; one axis varies, the "
           f"others stay at D={b['neurons']}, T={b['bins']}, generator {b['gen']}. Time is the whole process divided "
           "by the trials; peak RSS is the child's maximum resident set size (as /usr/bin/time -v reports it).", "",
           "![scaling](performance-scaling.svg)", "",
           "| varied | D | T | generator | median wall s | wall ms/trial | CPU ms/trial | peak RSS MB |",
           "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for row in sc["rows"]:
        d, t, g = re.match(r"D(\d+)_T(\d+)_G(\d+)", row["tag"]).groups()
        out.append(f"| {row['axis']} | {d} | {t} | {g} | {row['wall']:.3f} | {row['ms']:.2f} | {row['cpu_ms']:.2f} | "
                   f"{row['rss']:.1f} |")
    out.append("")
    return out


# ---------------------------------------------------------------- 5. profile

def bench_profile(r, args, res):
    if not shutil.which("valgrind") or not shutil.which("callgrind_annotate"):
        res["profile"] = None
        return
    work, bin_ = args.work, args.lfadsc
    n = 40 if args.quick else 200
    trials = f"{work}/template_{n}.dat"
    count = 3 if args.quick else 10
    cg = f"{work}/callgrind.out"
    s, _, rc, _, err, _ = r.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={cg}", bin_, "simulate", trials,
                              "-m", f"{TEMPLATE}/keras_model.h5", "--trials", f"0:{count}", "--threads", "1",
                              "-o", f"{work}/cg.dat", "-f", "-q"])
    if rc != 0:
        res["profile"] = dict(error=first_line(err))
        return
    ann = subprocess.run(["callgrind_annotate", "--inclusive=no", "--auto=no", "--threshold=99", cg],
                         capture_output=True, text=True).stdout
    total = re.search(r"([\d,]+)\s+\(100\.0%\)\s+PROGRAM TOTALS", ann)
    rows = []
    in_table = False
    for line in ann.splitlines():
        if "file:function" in line:
            in_table = True
            continue
        m = re.match(r"\s*([\d,]+)\s+\(\s*([\d.]+)%\)\s+(\S.*)$", line)
        if in_table and m:
            rows.append((float(m.group(2)), m.group(3)))
    names = [re.sub(r"\s*\[[^\]]*\]$", "", fn.split(":", 1)[1] if ":" in fn else fn) for _, fn in rows]
    dem = subprocess.run(["swift", "demangle", "--simplified", "--compact"], input="\n".join(names),
                         capture_output=True, text=True).stdout.splitlines()
    if len(dem) != len(names):
        dem = names
    merged = {}  # callgrind splits a function into its source lines and <compiler-generated> ones
    for (pct, _), name in zip(rows, dem):
        merged[name] = merged.get(name, 0.0) + pct
    top = sorted(merged.items(), key=lambda kv: -kv[1])[:12]
    res["profile"] = dict(trials=count, seconds=s, total=total.group(1) if total else "?",
                          rows=[(pct, name[:160]) for name, pct in top])


def profile_md(res):
    p = res.get("profile")
    out = ["## 5. Profile of the bit-accurate simulator (template)", ""]
    if p is None:
        return out + ["valgrind/callgrind_annotate are not installed here: no profile.", ""]
    if "error" in p:
        return out + [f"callgrind run failed: {p['error']}", ""]
    out += [f"`valgrind --tool=callgrind` on `lfadsc simulate` of {p['trials']} template trials, 1 thread "
            f"({p['total']} instructions in total, start-up included; {p['seconds']:.1f} s under valgrind). Self cost "
            "(exclusive instructions) of the top functions, names demangled:", "",
            "| % of instructions | function |", "|---:|---|"]
    for pct, name in p["rows"]:
        out.append(f"| {pct:.1f} | `{name.replace('|', '/')}` |")
    out.append("")
    return out


# ---------------------------------------------------------------- document

def write_doc(res, r, args):
    mc = res["machine"]
    md = [BEGIN, "", "# Performance", "",
          f"Measured by `benchmarks/run.sh`{' (QUICK=1)' if mc['quick'] else ''} in one run on {mc['date']}. Regenerate with "
          "`bash benchmarks/run.sh` (about 5 minutes of measurements here, plus the release build; `QUICK=1` for a shorter run). Every comparison interleaves "
          f"its contenders and reports the median of {res['reps']} repetitions: the machine is shared, so absolute "
          "numbers move with the load; ratios measured side by side are the more reliable figures.", "",
          "## Machine", "",
          f"- CPU: {mc['cpu']}, `nproc` = {mc['nproc']}",
          f"- load average at start (1, 5, 15 min): {mc['load']}; at end: {res['load_end']}",
          f"- {mc['swift']}; lfadsc built with `swift build -c release`",
          f"- {mc['gxx']} (the C-simulation is built by the project's Makefile, -O2)",
          f"- Python {mc['python']}, NumPy {mc['numpy']}",
          f"- measurements took {res['elapsed_min']:.1f} min; the release build step before them "
          f"{res['build_s'] if res.get('build_s') is not None else '?'} s (a clean release build of lfadsc took "
          "about 10 minutes on this machine at load ≈ 10; an up-to-date one takes seconds)", ""]
    for section in (template_md, lorenz_md, compile_md, scaling_md, profile_md):
        try:
            md += section(res)
        except KeyError as e:
            md += [f"(section {section.__name__} was not measured: {e})", ""]
    for name, err in res.get("errors", {}).items():
        md += [f"**{name} failed:** `{err}`", ""]
    md += ["## Exact commands", "", "`$WORK` is the script's scratch directory; `lfadsc` the release binary.", "", "```"]
    md += r.commands
    md += ["```", "", END]
    path = f"{REPO}/docs/performance.md"
    old = ""
    if os.path.exists(path):
        with open(path) as f:
            old = f.read()
    text = "\n".join(md)
    if BEGIN in old and END in old:
        text = old[: old.index(BEGIN)] + text + old[old.index(END) + len(END):]
    elif old:
        text = text + "\n\n" + old  # keep what others wrote (e.g. the HDF5 section) after ours
    else:
        text += "\n"
    with open(path, "w") as f:
        f.write(text)
    if "scaling" in res:
        scaling_svg(res["scaling"], f"{REPO}/docs/performance-scaling.svg")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--lfadsc", required=True)
    p.add_argument("--ap-types", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--quick", action="store_true")
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--hls4ml-python")
    p.add_argument("--hls4ml-log")
    p.add_argument("--torch-python", help="python with torch, h5py and lfads_torch (LFADS_TORCH_SRC on PYTHONPATH)")
    p.add_argument("--torch-log", help="log of run.sh's failed lfads-torch import check")
    p.add_argument("--build-seconds", type=int)
    p.add_argument("--only", help="comma-separated subset: template,lorenz,compile,scaling,profile")
    args = p.parse_args()
    args.work = os.path.abspath(args.work)
    args.lfadsc = os.path.abspath(args.lfadsc)
    os.makedirs(args.work, exist_ok=True)
    r = Runner(args.work, args.lfadsc)
    if args.torch_python:
        r.aliases[args.torch_python] = "$TORCH_PYTHON"
    if args.hls4ml_python:
        r.aliases[args.hls4ml_python] = "$HLS4ML_PYTHON"
    start = time.time()
    res = {"machine": machine(r, args), "reps": args.reps, "errors": {}, "build_s": args.build_seconds}
    only = set((args.only or "template,lorenz,compile,scaling,profile").split(","))
    steps = [("template", lambda: bench_template(r, args, args.reps, res)),
             ("lorenz", lambda: bench_lorenz(r, args, args.reps, res)),
             ("compile", lambda: bench_compile(r, args, args.reps, res)),
             ("scaling", lambda: bench_scaling(r, args, args.reps, res)),
             ("profile", lambda: bench_profile(r, args, res))]
    for name, step in steps:
        if name not in only:
            continue
        t = time.time()
        print(f"== {name}", flush=True)
        try:
            step()
        except Exception as e:  # report the failure in the document and go on with the other sections
            res["errors"][name] = str(e).splitlines()[0] if str(e) else type(e).__name__
            print(f"   failed: {e}", flush=True)
        print(f"   {time.time() - t:.0f} s", flush=True)
    res["load_end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    res["elapsed_min"] = (time.time() - start) / 60
    with open(f"{args.work}/results.json", "w") as f:
        json.dump(res, f, indent=1, default=str)
    write_doc(res, r, args)
    print(f"wrote docs/performance.md ({res['elapsed_min']:.1f} min)")


if __name__ == "__main__":
    main()
