// swift-tools-version:6.1
import PackageDescription

// Release builds of the numeric code are what users and benchmarks run; keep bounds checks
// in debug only.
let numeric: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "EBMPlanning",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "EBMCore", targets: ["EBMCore"]),
        .library(name: "EBMEnvironments", targets: ["EBMEnvironments"]),
        .library(name: "EBMPlanners", targets: ["EBMPlanners"]),
        .executable(name: "ebm-plan", targets: ["ebm-plan"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(
            name: "COpenBLAS",
            path: "Sources/COpenBLAS",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .target(
            name: "EBMCore",
            dependencies: ["COpenBLAS"],
            path: "Sources/EBMCore",
            swiftSettings: numeric
        ),
        .target(
            name: "EBMCommandLine",
            dependencies: [.product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/EBMCommandLine"
        ),
        .target(
            name: "EBMRender",
            dependencies: ["EBMCore"],
            path: "Sources/EBMRender"
        ),
        .target(
            name: "EBMEnvironments",
            dependencies: ["EBMCore"],
            path: "Environments",
            swiftSettings: numeric
        ),
        .target(
            name: "EBMPlanners",
            dependencies: ["EBMCore", "EBMEnvironments"],
            path: "Planners",
            swiftSettings: numeric
        ),
        .executableTarget(
            name: "ebm-plan",
            dependencies: [
                "EBMCore", "EBMEnvironments", "EBMPlanners", "EBMRender", "EBMCommandLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/ebm-plan"
        ),
        .testTarget(
            name: "EBMCoreTests",
            dependencies: ["EBMCore"],
            path: "Tests/EBMCoreTests"
        ),
        .testTarget(
            name: "CLITests",
            dependencies: ["ebm-plan"],
            path: "Tests/CLITests"
        ),
        .testTarget(
            name: "EnvironmentsTests",
            dependencies: ["EBMEnvironments", "EBMCore"],
            path: "Tests/EnvironmentsTests"
        ),
    ],
    swiftLanguageModes: [.v5]
)
