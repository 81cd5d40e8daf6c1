// swift-tools-version: 6.0
import PackageDescription

/// The engine's hot paths mutate the arrays of one simulation object many million times a second;
/// Swift's dynamic exclusivity checks on class properties cost about half the run time there.
/// The engine is single-threaded per run and never overlaps accesses, so the checks are turned off
/// for these two targets (static checks still apply).
let engineSettings: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"])]

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
        .executableTarget(name: "faultline", dependencies: ["SimulationKernel", "FailureChains", "ModelFormat", "Reporting", "Experiments"]),
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
