// swift-tools-version: 6.0
import PackageDescription

/// The engine's hot paths mutate the arrays of one simulation object many million times a second;
/// Swift's dynamic exclusivity checks on class properties cost about half the run time there.
/// The engine is single-threaded per run and never overlaps accesses, so the checks are turned off
/// for these two targets (static checks still apply).
let engineSettings: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"])]

/// The command line links the Swift runtime and FoundationEssentials statically on Linux: a run
/// starts in ~2 ms less (17 shared libraries fewer to map and relocate) and holds ~4 MiB less,
/// which a benchmark of a 0.1 s run sees (bench/run.sh compares whole processes with plain C).
/// The link prints glibc's warning about `mktemp`, which FoundationEssentials references; the
/// command line never calls it. The libraries and tests link the shared runtime as before.
let staticRuntime: [LinkerSetting] = [
    .unsafeFlags(["-static-stdlib", "-l_FoundationCShims", "-l_FoundationCollections"], .when(platforms: [.linux])),
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
