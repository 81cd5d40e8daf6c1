// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Faultline",
    products: [
        .executable(name: "faultline", targets: ["faultline"]),
    ],
    dependencies: [],
    targets: [
        .target(name: "SimulationKernel"),
        .target(name: "FailureChains", dependencies: ["SimulationKernel"]),
        .target(name: "ModelFormat", dependencies: ["SimulationKernel", "FailureChains"]),
        .target(name: "Reporting", dependencies: ["SimulationKernel", "FailureChains", "ModelFormat"]),
        .target(name: "Experiments", dependencies: ["SimulationKernel", "FailureChains", "ModelFormat", "Reporting"]),
        .executableTarget(name: "faultline", dependencies: ["SimulationKernel", "FailureChains", "ModelFormat", "Reporting", "Experiments"]),
        .testTarget(name: "SimulationKernelTests", dependencies: ["SimulationKernel"]),
        .testTarget(name: "FailureChainsTests", dependencies: ["FailureChains", "SimulationKernel"]),
        .testTarget(name: "ModelFormatTests", dependencies: ["ModelFormat", "FailureChains", "SimulationKernel"]),
        .testTarget(name: "ReportingTests", dependencies: ["Reporting", "FailureChains", "SimulationKernel"]),
        .testTarget(name: "ExperimentsTests", dependencies: ["Experiments", "ModelFormat", "Reporting", "FailureChains", "SimulationKernel"]),
        .testTarget(name: "EndToEndTests", dependencies: ["Experiments", "ModelFormat", "Reporting", "FailureChains", "SimulationKernel"]),
    ]
)
