/// Writes compact JSON with members in the order they are added, the shape decisions are printed in.
package struct JSONWriter: JSONOutput {
    package private(set) var text = ""
    private var needsComma: [Bool] = [false]

    package init() { text.reserveCapacity(256) }

    /// Starts an object member (or an array element when `key` is nil) and writes its value with `body`.
    private mutating func separator(_ key: String?) {
        if needsComma[needsComma.count - 1] { text += "," }
        needsComma[needsComma.count - 1] = true
        if let key {
            JSONWriter.appendString(key, to: &text)
            text += ":"
        }
    }

    package mutating func beginObject(_ key: String? = nil) {
        if needsComma.count > 1 || key != nil { separator(key) }
        text += "{"
        needsComma.append(false)
    }

    package mutating func endObject() {
        needsComma.removeLast()
        text += "}"
    }

    package mutating func beginArray(_ key: String? = nil) {
        separator(key)
        text += "["
        needsComma.append(false)
    }

    package mutating func endArray() {
        needsComma.removeLast()
        text += "]"
    }

    package mutating func string(_ key: String?, _ value: String) {
        separator(key)
        JSONWriter.appendString(value, to: &text)
    }

    package mutating func int(_ key: String?, _ value: Int) {
        separator(key)
        text += String(value)
    }

    package mutating func bool(_ key: String?, _ value: Bool) {
        separator(key)
        text += value ? "true" : "false"
    }

    package mutating func null(_ key: String?) {
        separator(key)
        text += "null"
    }

    /// Appends a JSON string literal, escaping what RFC 8259 requires.
    package static func appendString(_ value: String, to text: inout String) {
        text += "\""
        var needsEscape = false
        for byte in value.utf8 where byte < 0x20 || byte == 0x22 || byte == 0x5C {
            needsEscape = true
            break
        }
        if !needsEscape {
            text += value
        } else {
            for scalar in value.unicodeScalars {
                switch scalar {
                case "\"": text += "\\\""
                case "\\": text += "\\\\"
                case "\n": text += "\\n"
                case "\r": text += "\\r"
                case "\t": text += "\\t"
                default:
                    if scalar.value < 0x20 {
                        let hex = String(scalar.value, radix: 16)
                        text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    } else {
                        text.unicodeScalars.append(scalar)
                    }
                }
            }
        }
        text += "\""
    }
}
