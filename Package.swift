// swift-tools-version:6.0
import PackageDescription

/// The plugin modules: the one list to extend with a new family of kinds. Each is a target under
/// `Sources/Plugins/<folder>` that depends on the engine's plugin API only, with its tests under
/// `Tests/Plugins/<folder>`; `BuiltinPlugins` depends on all of them.
let plugins: [(target: String, folder: String)] = [
    ("CalendarConditions", "Calendar"),
    ("MerchantConditions", "Merchant"),
    ("PaymentConditions", "Payment"),
    ("HistoryConditions", "History"),
    ("StandardRewards", "Rewards"),
    ("NthPurchaseCondition", "NthPurchase"),
]

let pluginTargets: [Target] = plugins.flatMap { plugin in
    [
        .target(name: plugin.target, dependencies: ["Engine"], path: "Sources/Plugins/\(plugin.folder)"),
        .testTarget(
            name: "\(plugin.target)Tests",
            dependencies: [.target(name: plugin.target), "Engine", "BuiltinPlugins", "PluginTestSupport"],
            path: "Tests/Plugins/\(plugin.folder)"),
    ]
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
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        .target(
            name: "Engine",
            dependencies: [.product(name: "Yams", package: "Yams"), .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "BuiltinPlugins",
            dependencies: ["Engine"] + plugins.map { .target(name: $0.target) },
            path: "Sources/Plugins/All"
        ),
        .testTarget(
            name: "BuiltinPluginsTests", dependencies: ["BuiltinPlugins", "Engine", "PluginTestSupport"],
            path: "Tests/Plugins/All"),
        .target(name: "Workload"),
        .target(name: "Reports", dependencies: ["Engine"]),
        .target(
            name: "Store",
            dependencies: [
                "Engine",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Server",
            dependencies: [
                "Engine",
                "Store",
                "Reports",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .target(name: "MallocTuning"),
        .executableTarget(
            name: "Host",
            dependencies: [
                "MallocTuning",
                "Engine",
                "BuiltinPlugins",
                "Workload",
                "Store",
                "Server",
                "Reports",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "BuiltinPlugins", "Workload", "PluginTestSupport"]),
        .target(name: "PluginTestSupport", dependencies: ["Engine", "BuiltinPlugins"], path: "Tests/PluginTestSupport"),
        .testTarget(
            name: "HostTests",
            dependencies: [
                "Host", "Engine", "BuiltinPlugins", "Workload", "Store", "Server", "Reports", "PluginTestSupport",
                .product(name: "Yams", package: "Yams"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                // To break a store's schema under a batch (StoreStateFailureTests).
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
    ] + pluginTargets
)
