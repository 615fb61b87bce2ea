// swift-tools-version:6.0
import PackageDescription

/// A plugin module under `Sources/Plugins/<folder>`: it depends on the engine's plugin API only.
func pluginTarget(_ name: String, folder: String) -> Target {
    .target(name: name, dependencies: ["Engine"], path: "Sources/Plugins/\(folder)")
}

/// The tests of one plugin module.
func pluginTests(_ name: String, folder: String) -> Target {
    .testTarget(
        name: "\(name)Tests", dependencies: [.target(name: name), "Engine", "BuiltinPlugins", "PluginTestSupport"],
        path: "Tests/Plugins/\(folder)")
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
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        .target(name: "Engine", dependencies: [.product(name: "Yams", package: "Yams")]),
        pluginTarget("CalendarConditions", folder: "Calendar"),
        pluginTarget("MerchantConditions", folder: "Merchant"),
        pluginTarget("PaymentConditions", folder: "Payment"),
        pluginTarget("HistoryConditions", folder: "History"),
        pluginTarget("StandardRewards", folder: "Rewards"),
        pluginTarget("NthPurchaseCondition", folder: "NthPurchase"),
        .target(
            name: "BuiltinPlugins",
            dependencies: ["Engine", "CalendarConditions", "MerchantConditions", "PaymentConditions", "HistoryConditions", "StandardRewards", "NthPurchaseCondition"],
            path: "Sources/Plugins/All"
        ),
        .target(name: "Workload"),
        .target(
            name: "Store",
            dependencies: ["Engine", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .target(
            name: "Server",
            dependencies: [
                "Engine",
                "Store",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .executableTarget(
            name: "Host",
            dependencies: [
                "Engine",
                "BuiltinPlugins",
                "Workload",
                "Store",
                "Server",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "BuiltinPlugins", "Workload"]),
        .target(name: "PluginTestSupport", dependencies: ["Engine", "BuiltinPlugins"], path: "Tests/PluginTestSupport"),
        pluginTests("CalendarConditions", folder: "Calendar"),
        pluginTests("MerchantConditions", folder: "Merchant"),
        pluginTests("PaymentConditions", folder: "Payment"),
        pluginTests("HistoryConditions", folder: "History"),
        pluginTests("StandardRewards", folder: "Rewards"),
        pluginTests("NthPurchaseCondition", folder: "NthPurchase"),
        .testTarget(
            name: "HostTests",
            dependencies: [
                "Host", "Engine", "BuiltinPlugins", "Workload", "Store", "Server", .product(name: "Yams", package: "Yams"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ]
)
