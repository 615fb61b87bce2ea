// swift-tools-version:6.0
import PackageDescription

/// A plugin module under `Sources/Plugins/<folder>`: it depends on the engine's plugin API only.
func pluginTarget(_ name: String, folder: String) -> Target {
    .target(name: name, dependencies: ["Engine"], path: "Sources/Plugins/\(folder)")
}

/// The tests of one plugin module.
func pluginTests(_ name: String, folder: String) -> Target {
    .testTarget(name: "\(name)Tests", dependencies: [.target(name: name), "Engine", "BuiltinPlugins"], path: "Tests/Plugins/\(folder)")
}

let package = Package(
    name: "cashback",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "cashback", targets: ["Host"]),
        .library(name: "Engine", targets: ["Engine"]),
        .library(name: "BuiltinPlugins", targets: ["BuiltinPlugins"]),
        .library(name: "Workload", targets: ["Workload"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
    ],
    targets: [
        .target(name: "Engine", dependencies: [.product(name: "Yams", package: "Yams")]),
        pluginTarget("CalendarConditions", folder: "Calendar"),
        pluginTarget("MerchantConditions", folder: "Merchant"),
        pluginTarget("PaymentConditions", folder: "Payment"),
        pluginTarget("HistoryConditions", folder: "History"),
        pluginTarget("StandardRewards", folder: "Rewards"),
        .target(
            name: "BuiltinPlugins",
            dependencies: ["Engine", "CalendarConditions", "MerchantConditions", "PaymentConditions", "HistoryConditions", "StandardRewards"],
            path: "Sources/Plugins/All"
        ),
        .target(name: "Workload"),
        .executableTarget(
            name: "Host",
            dependencies: [
                "Engine",
                "BuiltinPlugins",
                "Workload",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "BuiltinPlugins", "Workload"]),
        pluginTests("CalendarConditions", folder: "Calendar"),
        pluginTests("MerchantConditions", folder: "Merchant"),
        pluginTests("PaymentConditions", folder: "Payment"),
        pluginTests("HistoryConditions", folder: "History"),
        pluginTests("StandardRewards", folder: "Rewards"),
        .testTarget(name: "HostTests", dependencies: ["Host", "Engine", "BuiltinPlugins", "Workload"]),
    ]
)
