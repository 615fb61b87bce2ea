import NIOCore
import PostgresNIO

/// One column of the rows `insert` writes, bound as a single PostgreSQL array (`bigint[]`,
/// `text[]` or `bytea[]`, in the binary format) whose elements may be null.
struct PostgresColumnArray: PostgresDynamicTypeEncodable {
    /// The type of the column's values; `nil` when every value is null.
    let kind: Kind?
    private let values: [BoundValue]

    enum Kind {
        case bigint, text, bytea
    }

    /// A value of a kind other than the column's first.
    struct MixedColumn: Error, CustomStringConvertible {
        var description: String { "a column of rows to insert mixes integers, texts and bytes" }
    }

    init(_ values: [BoundValue]) throws {
        var kind: Kind?
        for value in values {
            let valueKind: Kind
            switch value {
            case .null: continue
            case .integer: valueKind = .bigint
            case .text: valueKind = .text
            case .blob: valueKind = .bytea
            case .texts, .integers: throw MixedColumn()
            }
            if kind == nil { kind = valueKind } else if kind != valueKind { throw MixedColumn() }
        }
        self.kind = kind
        self.values = values
    }

    /// The array's type in SQL, for the cast that names it to `unnest`.
    var sqlType: String {
        switch kind ?? .text {
        case .bigint: "bigint[]"
        case .text: "text[]"
        case .bytea: "bytea[]"
        }
    }

    var psqlType: PostgresDataType {
        switch kind ?? .text {
        case .bigint: .int8Array
        case .text: .textArray
        case .bytea: .byteaArray
        }
    }

    var psqlFormat: PostgresFormat { .binary }

    private var elementType: PostgresDataType {
        switch kind ?? .text {
        case .bigint: .int8
        case .text: .text
        case .bytea: .bytea
        }
    }

    /// PostgreSQL's binary array: dimensions, whether any element is null, the element type,
    /// the one dimension's length and lower bound, then each element's length (-1 for null)
    /// and bytes.
    func encode<JSONEncoder: PostgresJSONEncoder>(into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        buffer.writeInteger(1, as: Int32.self)
        buffer.writeInteger(values.contains { if case .null = $0 { true } else { false } } ? 1 : 0, as: Int32.self)
        buffer.writeInteger(elementType.rawValue)
        buffer.writeInteger(Int32(values.count))
        buffer.writeInteger(1, as: Int32.self)
        for value in values {
            switch value {
            case .integer(let integer):
                buffer.writeInteger(8, as: Int32.self)
                buffer.writeInteger(integer)
            case .text(let text):
                let lengthIndex = buffer.writerIndex
                buffer.writeInteger(0, as: Int32.self)
                let written = buffer.writeString(text)
                buffer.setInteger(Int32(written), at: lengthIndex)
            case .blob(let bytes):
                buffer.writeInteger(Int32(bytes.count))
                buffer.writeBytes(bytes)
            case .null, .texts, .integers:
                buffer.writeInteger(-1, as: Int32.self)
            }
        }
    }
}
