// The storage ceiling for the durable queue benchmark (Benchmarks/queue.sh): batched inserts of
// rows of a given size into a table with an INTEGER PRIMARY KEY and one TEXT column, through GRDB
// (the same library and system libsqlite3 as `cashback`), with the store's pragmas.
//
//   RawInsert --db FILE --rows N --batch-rows B --text-bytes L
//
// Prints one line of `key=value` pairs: rows, batch_rows, text_bytes, seconds, rows_per_s,
// sqlite_version.
import Foundation
import GRDB

@main
struct RawInsert {
    static func main() throws {
        var options: [String: String] = [:]
        var arguments = CommandLine.arguments.dropFirst().makeIterator()
        while let name = arguments.next() {
            guard name.hasPrefix("--"), let value = arguments.next() else { usage() }
            options[String(name.dropFirst(2))] = value
        }
        guard let path = options["db"], let rows = options["rows"].flatMap(Int.init), rows > 0,
            let batchRows = options["batch-rows"].flatMap(Int.init), batchRows > 0,
            let textBytes = options["text-bytes"].flatMap(Int.init), textBytes >= 0
        else { usage() }

        // The same configuration as Store.init (Sources/Host/Store/Store.swift): a DatabasePool
        // (WAL), synchronous=FULL, 32 MiB of page cache, reads through mmap.
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA cache_size = -32768")
            try db.execute(sql: "PRAGMA mmap_size = 1073741824")
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        try pool.write { db in
            try db.execute(sql: "CREATE TABLE raw (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
        }
        let version = try pool.read { db in try String.fetchOne(db, sql: "SELECT sqlite_version()") } ?? "?"

        // Distinct printable texts of exactly `textBytes` bytes, built before the clock starts.
        var generator = SplitMix64(seed: 1)
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789{}\":,._-".utf8)
        let texts: [String] = (0..<1024).map { _ in
            String(decoding: (0..<textBytes).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }, as: UTF8.self)
        }

        let clock = ContinuousClock()
        let start = clock.now
        var inserted = 0
        while inserted < rows {
            let count = min(batchRows, rows - inserted)
            let first = inserted
            try pool.write { db in
                let insert = try db.cachedStatement(sql: "INSERT INTO raw (body) VALUES (?)")
                for index in first..<(first + count) {
                    try insert.execute(arguments: [texts[index % texts.count]])
                }
            }
            inserted += count
        }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(
            "rows=\(rows) batch_rows=\(batchRows) text_bytes=\(textBytes) seconds=\(String(format: "%.3f", seconds))",
            "rows_per_s=\(Int((Double(rows) / seconds).rounded())) sqlite_version=\(version)")
    }

    static func usage() -> Never {
        FileHandle.standardError.write(Data("usage: RawInsert --db FILE --rows N --batch-rows B --text-bytes L\n".utf8))
        exit(2)
    }
}

/// A small deterministic generator, so every run inserts the same texts.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
