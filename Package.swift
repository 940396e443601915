// swift-tools-version:6.0
import PackageDescription

/// WarRoom: a simulation and forecasting lab for real-time sales operations.
///
/// Module boundaries follow DESIGN.md: imports point one way only, only `Linalg` touches
/// BLAS/LAPACK, only `RunStore` touches SQLite, and zlib only compresses the latency log.
/// The event loops (simulator, alert engine) are checked for exclusive access at compile time;
/// the run-time check costs them a third of their speed in release builds, so it is off there.
let hotPath: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "WarRoom",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "warroom", targets: ["warroom"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", exact: "0.2.0"),
        // `make docs`: the lab's DocC catalog (built only when asked for, not by swift build).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", exact: "1.5.0"),
    ],
    targets: [
        // System libraries: one module map and one shim header each.
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CLAPACKE", providers: [.apt(["liblapacke-dev"])]),
        .systemLibrary(name: "CSQLite3", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CPerfEvent"),

        .target(name: "WarRoomCore", dependencies: [.product(name: "Yams", package: "Yams")]),
        .target(name: "Simulation", dependencies: ["WarRoomCore"], swiftSettings: hotPath),
        .target(name: "Alerting", dependencies: ["WarRoomCore"], swiftSettings: hotPath),
        .target(name: "Linalg", dependencies: ["CBLAS", "CLAPACKE"]),
        .target(name: "Forecasting", dependencies: ["WarRoomCore", "Linalg"]),
        .target(name: "RunStore", dependencies: ["WarRoomCore", "CSQLite3"]),
        .target(name: "Reporting", dependencies: ["WarRoomCore"]),
        .target(
            name: "WarRoomLab",
            dependencies: ["WarRoomCore", "Simulation", "Alerting", "Forecasting", "RunStore", "Reporting", "CZlib", "CPerfEvent",
                           .product(name: "Histogram", package: "hdrhistogram-swift")]
        ),
        .executableTarget(
            name: "warroom",
            dependencies: ["WarRoomLab", "WarRoomCore", "Alerting", "Forecasting", "Reporting", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),

        // What the test targets share: the repository's files, temporary folders, inline scenarios,
        // the built executable and run options writing into a folder.
        .target(name: "WarRoomTestSupport", dependencies: ["WarRoomCore", "WarRoomLab"], path: "Tests/WarRoomTestSupport"),

        .testTarget(name: "WarRoomCoreTests", dependencies: ["WarRoomCore", "WarRoomTestSupport"]),
        .testTarget(name: "SimulationTests", dependencies: ["Simulation", "WarRoomCore", "WarRoomTestSupport"]),
        .testTarget(name: "AlertingTests", dependencies: ["Alerting", "Simulation", "WarRoomCore", "WarRoomTestSupport"]),
        .testTarget(name: "LinalgTests", dependencies: ["Linalg"]),
        .testTarget(name: "ForecastingTests", dependencies: ["Forecasting", "Linalg", "WarRoomCore"]),
        .testTarget(name: "RunStoreTests", dependencies: ["RunStore", "WarRoomCore", "WarRoomTestSupport"]),
        .testTarget(name: "ReportingTests", dependencies: ["Reporting", "WarRoomCore"]),
        .testTarget(name: "WarRoomLabTests", dependencies: ["WarRoomLab", "WarRoomCore", "RunStore", "Reporting", "WarRoomTestSupport", "warroom"]),
    ]
)
