// swift-tools-version:6.0
// lfadsc — compiles trained LFADS models to Vitis HLS projects for the Alveo U55C.
// No package dependencies by design: HDF5, inflate, argument and config parsing live here.
import PackageDescription

let package = Package(
    name: "lfadsc",
    products: [
        .executable(name: "lfadsc", targets: ["lfadsc"]),
        .library(name: "LFADSIR", targets: ["LFADSIR"]),
        .library(name: "Backends", targets: ["Backends"]),
        .library(name: "HDF5", targets: ["HDF5"]),
    ],
    targets: [
        .target(name: "HDF5"),
        .target(name: "LFADSIR", dependencies: ["HDF5"]),
        .target(name: "Backends", dependencies: ["LFADSIR", "HDF5"]),
        .executableTarget(name: "lfadsc", dependencies: ["LFADSIR", "Backends", "HDF5"]),
        .testTarget(name: "HDF5Tests", dependencies: ["HDF5"], exclude: ["Fixtures"]),
        .testTarget(name: "LFADSIRTests", dependencies: ["LFADSIR", "HDF5"], exclude: ["FixedPoint/Oracle"]),
        .testTarget(name: "BackendsTests", dependencies: ["Backends", "LFADSIR", "HDF5"], exclude: ["Fixtures"]),
        .testTarget(name: "lfadscTests", dependencies: ["lfadsc", "LFADSIR", "Backends", "HDF5"], exclude: ["Fixtures"]),
    ]
)
