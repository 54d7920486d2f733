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
        .library(name: "ImageEBM", targets: ["ImageEBM"]),
        .executable(name: "ebm-image", targets: ["ebm-image"]),
        .executable(name: "ebm-view", targets: ["ebm-view"]),
        .executable(name: "ebm-bench", targets: ["ebm-bench"]),
    ],
    // The OpenGL viewer needs libglfw3-dev and libgl1-mesa-dev; without the trait ebm-view is
    // a stub, so the core builds and tests on machines without GL packages.
    traits: [
        .trait(name: "GUI", description: "Build the GLFW/OpenGL viewer ebm-view (needs libglfw3-dev libgl1-mesa-dev)"),
        .default(enabledTraits: []),
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
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .systemLibrary(
            name: "CGLFW",
            path: "Sources/CGLFW",
            providers: [.apt(["libglfw3-dev", "libgl1-mesa-dev"])]
        ),
        // The AVX-512 small-matrix SGEMM behind `BLAS.gemm` (OpenBLAS elsewhere).
        .target(
            name: "CEBMKernels",
            dependencies: ["COpenBLAS"],
            path: "Sources/CEBMKernels",
            cSettings: [.unsafeFlags(["-O3"])]
        ),
        .target(
            name: "EBMCore",
            dependencies: ["COpenBLAS", "CEBMKernels"],
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
            dependencies: ["EBMCore", "EBMEnvironments", "CZlib"],
            path: "Sources/EBMRender"
        ),
        .target(
            name: "EBMViewer",
            dependencies: [
                "EBMCore", "EBMEnvironments", "EBMPlanners", "EBMRender",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/EBMViewer"
        ),
        .executableTarget(
            name: "ebm-view",
            dependencies: [
                "EBMCore", "EBMEnvironments", "EBMRender", "EBMViewer", "EBMCommandLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .target(name: "CGLFW", condition: .when(traits: ["GUI"])),
            ],
            path: "Viewer"
        ),
        .testTarget(
            name: "ViewerTests",
            dependencies: ["EBMViewer", "EBMPlanners", "EBMRender", "EBMEnvironments", "EBMCore", "CZlib"],
            path: "Tests/ViewerTests"
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
            exclude: ["Models/README.md"],
            resources: [
                .copy("Models/particle.safetensors"),
                .copy("Models/maze.safetensors"),
                .copy("Models/reacher.safetensors"),
            ],
            swiftSettings: numeric
        ),
        .executableTarget(
            name: "ebm-plan",
            dependencies: [
                "EBMCore", "EBMEnvironments", "EBMPlanners", "EBMRender", "EBMViewer", "EBMCommandLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/ebm-plan"
        ),
        .executableTarget(
            name: "ebm-bench",
            dependencies: ["EBMCore", "EBMEnvironments", "EBMPlanners", "COpenBLAS"],
            path: "Sources/ebm-bench",
            swiftSettings: numeric
        ),
        .target(
            name: "ImageEBM",
            dependencies: ["EBMCore", "EBMRender"],
            path: "Sources/ImageEBM",
            swiftSettings: numeric
        ),
        .executableTarget(
            name: "ebm-image",
            dependencies: [
                "EBMCore", "ImageEBM", "EBMRender", "EBMCommandLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/ebm-image"
        ),
        .testTarget(
            name: "ImageEBMTests",
            dependencies: ["ImageEBM", "EBMCore", "EBMRender", "ebm-image"],
            path: "Tests/ImageEBMTests"
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
            name: "PlannersTests",
            dependencies: ["EBMPlanners", "EBMEnvironments", "EBMCore"],
            path: "Tests/PlannersTests"
        ),
        .testTarget(
            name: "EnvironmentsTests",
            dependencies: ["EBMEnvironments", "EBMCore"],
            path: "Tests/EnvironmentsTests"
        ),
    ],
    swiftLanguageModes: [.v5]
)
