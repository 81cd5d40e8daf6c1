// swift-tools-version: 6.0
import PackageDescription

/// The engine's hot paths mutate the arrays of one simulation object many million times a second;
/// Swift's dynamic exclusivity checks on class properties cost about half the run time there.
/// The engine is single-threaded per run and never overlaps accesses, so the checks are turned off
/// for these two targets (static checks still apply).
let engineSettings: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"])]

/// The command line is one static executable on Linux: the Swift runtime, FoundationEssentials,
/// Dispatch and glibc are linked in (`-static-executable`), so a run maps no shared library and
/// resolves no symbol at start. Measured side by side (farm-bench, pinned): `--version` runs 142 k
/// instructions instead of 2.79 M (the dynamic loader relocated and looked up symbols of the
/// runtime, libstdc++ and libc for ~2.2 M of them), and a 0.1 s run of bench/mm1.json5 takes 0.97×
/// the time of the same code linked with `-static-stdlib` alone, which a benchmark against plain
/// C sees (bench/run.sh). The link prints glibc's warnings about `mktemp`, `dlopen` and the
/// `getpw*`/`getgr*` lookups, which FoundationEssentials and the runtime reference; the command
/// line calls none of them. The libraries and tests link the shared runtime as before.
let staticRuntime: [LinkerSetting] = [
    .unsafeFlags(["-static-executable", "-l_FoundationCShims", "-l_FoundationCollections"], .when(platforms: [.linux])),
]

let package = Package(
    name: "Faultline",
    products: [
        .executable(name: "faultline", targets: ["faultline"]),
    ],
    dependencies: [],
    targets: [
        .target(name: "SimulationKernel", swiftSettings: engineSettings),
        .target(name: "FailureChains", dependencies: ["SimulationKernel"], swiftSettings: engineSettings),
        .target(name: "ModelFormat", dependencies: ["SimulationKernel", "FailureChains"]),
        .target(name: "Reporting", dependencies: ["SimulationKernel", "FailureChains", "ModelFormat"]),
        .target(name: "Experiments", dependencies: ["SimulationKernel", "FailureChains", "ModelFormat", "Reporting"]),
        .executableTarget(name: "faultline", dependencies: ["SimulationKernel", "FailureChains", "ModelFormat", "Reporting", "Experiments"],
                          linkerSettings: staticRuntime),
        .testTarget(name: "SimulationKernelTests", dependencies: ["SimulationKernel"]),
        .testTarget(name: "FailureChainsTests", dependencies: ["FailureChains", "SimulationKernel", "ModelFormat"]),
        .testTarget(name: "ModelFormatTests", dependencies: ["ModelFormat", "FailureChains", "SimulationKernel"]),
        .testTarget(name: "ReportingTests", dependencies: ["Reporting", "FailureChains", "SimulationKernel"]),
        .testTarget(name: "ExperimentsTests", dependencies: ["Experiments", "ModelFormat", "Reporting", "FailureChains", "SimulationKernel"]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["Experiments", "ModelFormat", "Reporting", "FailureChains", "SimulationKernel"],
            exclude: ["Theory", "Golden"]),
    ]
)
