/// Input quoted in a message, made safe to print: at most `maximumScalars` Unicode scalars
/// (then `…`), with control, format and other invisible characters written as `U+001F`.
///
/// Every error that repeats what a user sent (an event's field, a rule file's value) goes
/// through it, so a 10 MB amount or a file full of escape sequences never reaches a reply,
/// a terminal or a log as it was.
///
/// ```swift
/// Echo.clipped("42\u{1B}[2J")  // "42U+001B[2J"
/// ```
public enum Echo {
    /// How many scalars of the input a message repeats.
    public static let maximumScalars = 40

    /// `text` clipped to `maximumScalars` scalars, invisible ones escaped.
    public static func clipped(_ text: some StringProtocol) -> String {
        var result = ""
        var count = 0
        for scalar in text.unicodeScalars {
            guard count < maximumScalars else {
                result += "…"
                break
            }
            count += 1
            if isPrintable(scalar) {
                result.unicodeScalars.append(scalar)
            } else {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                result += "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            }
        }
        return result
    }

    /// Whether a scalar shows as itself: not a control, format (bidi overrides, zero-width),
    /// separator other than the space, private-use or unassigned code point.
    static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator:
            return false
        case .spaceSeparator:
            return scalar == " "
        default:
            return true
        }
    }
}
