// Module Backends: HLS C++ emitter, float and bit-accurate simulators, cost models.
