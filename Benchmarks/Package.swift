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
        )
    ]
)
