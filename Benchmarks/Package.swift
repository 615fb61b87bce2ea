// swift-tools-version:6.1
// Performance benchmarks, kept out of the main package so that its build and CI stay fast.
// Run: cd Benchmarks && swift package --disable-sandbox benchmark   (see BENCHMARKS.md)
import PackageDescription

/// SwiftPM names a path dependency after its folder: the main package is wherever this one's parent is
/// (`main`, or whatever the clone is called).
let main = Context.packageDirectory.split(separator: "/").dropLast().last.map { $0.lowercased() } ?? "cashback"

let package = Package(
    name: "cashback-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        // Only the malloc interposer trait (for the malloc counts). The default `RuntimeInterposer`
        // trait would pull in ordo-one/swift-runtime-interposer, used only for ARC metrics on
        // Linux with Swift 6.3; these benchmarks measure none, and the package mirror lacks it.
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        // The same SQLite library as the main package, for the raw-insert ceiling of queue.sh.
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        // The same HTTP server library as the main package, for the bare-server anchor of loadtest.sh.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.0.0"),
    ],
    targets: [
        .executableTarget(
            name: "Evaluation",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Engine", package: main),
                .product(name: "BuiltinPlugins", package: main),
            ],
            path: "Benchmarks/Evaluation",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // Not an ordo-one benchmark (the plugin runs only executables directly under Benchmarks/):
        // a plain executable that Benchmarks/queue.sh runs for the raw SQLite insert ceiling.
        .executableTarget(
            name: "RawInsert",
            dependencies: [.product(name: "GRDB", package: "GRDB.swift")],
            path: "Tools/RawInsert"
        ),
        // A plain executable too: the bare Hummingbird server that Benchmarks/loadtest.sh measures
        // `cashback serve` against (issue #11's "≥ 0.5× a bare Hummingbird server").
        .executableTarget(
            name: "BareServer",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")],
            path: "Tools/BareServer"
        ),
    ]
)
