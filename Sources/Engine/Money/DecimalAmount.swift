/// Decimal text ⇄ integer minor units, the only way money enters or leaves the engine.
///
/// The grammar is `digits["." digits]`: no sign, no exponent, no grouping.
package enum DecimalAmount {
    /// The largest amount an event or a rule may carry: 10^12 minor units.
    package static let maximumMinorUnits = 1_000_000_000_000

    /// Why a decimal text is not an amount of a currency.
    package enum ParseError: Error, Equatable, Sendable {
        /// Not `digits["." digits]`.
        case notDecimal
        /// More fraction digits than the currency has.
        case tooManyFractionDigits(allowed: Int)
        /// More than 10^12 minor units.
        case tooLarge
    }

    /// Parses `"42.50"` into minor units of a currency with `digits` fraction digits.
    package static func minorUnits(_ text: String, digits: Int) -> Result<Int, ParseError> {
        var integerPart = 0
        var fractionDigits = 0
        var fraction = 0
        var seenDot = false
        var integerDigits = 0
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let digit = Int(byte - UInt8(ascii: "0"))
                if seenDot {
                    fractionDigits += 1
                    if fractionDigits <= digits { fraction = fraction * 10 + digit }
                } else {
                    integerDigits += 1
                    if integerPart > maximumMinorUnits { continue }  // stays too large; avoids overflow
                    integerPart = integerPart * 10 + digit
                }
            case UInt8(ascii: ".") where !seenDot:
                seenDot = true
            default:
                return .failure(.notDecimal)
            }
        }
        if integerDigits == 0 || (seenDot && fractionDigits == 0) { return .failure(.notDecimal) }
        if fractionDigits > digits { return .failure(.tooManyFractionDigits(allowed: digits)) }
        var scale = 1
        for _ in 0..<digits { scale *= 10 }
        var fractionScale = 1
        for _ in 0..<(digits - fractionDigits) { fractionScale *= 10 }
        guard integerPart <= maximumMinorUnits / scale + 1 else { return .failure(.tooLarge) }
        let total = integerPart * scale + fraction * fractionScale
        guard total <= maximumMinorUnits else { return .failure(.tooLarge) }
        return .success(total)
    }

    /// Formats minor units with exactly `digits` fraction digits: `250` → `"2.50"`, `-5` → `"-0.05"`.
    /// Zero is always unsigned.
    package static func format(_ minorUnits: Int, digits: Int) -> String {
        format(negative: minorUnits < 0, magnitude: minorUnits.magnitude, digits: digits)
    }

    /// Formats a total of many amounts (a sum that may pass `Int.max`) like `format(_:digits:)`.
    package static func format(_ minorUnits: Int128, digits: Int) -> String {
        format(negative: minorUnits < 0, magnitude: minorUnits.magnitude, digits: digits)
    }

    /// Writes the digits backwards into a buffer on the stack, the point after the last `digits`
    /// of them, and at least one digit before it: one string made, none in between (amounts are
    /// formatted for every line of every decision).
    private static func format(negative: Bool, magnitude: some UnsignedInteger & FixedWidthInteger, digits: Int) -> String {
        // At most 39 digits (UInt128), the zeros a short amount needs, the point and the sign.
        let capacity = max(39, digits + 1) + 2
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
            var rest = magnitude
            var index = capacity
            var written = 0
            repeat {
                index -= 1
                buffer[index] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
                written += 1
                if written == digits {
                    index -= 1
                    buffer[index] = UInt8(ascii: ".")
                }
            } while rest > 0 || written <= digits
            if negative {
                index -= 1
                buffer[index] = UInt8(ascii: "-")
            }
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[index..<capacity]), as: UTF8.self)
        }
    }
}

extension Currency {
    /// Parses decimal text in this currency into minor units.
    package func minorUnits(_ text: String) -> Result<Int, DecimalAmount.ParseError> {
        DecimalAmount.minorUnits(text, digits: minorDigits)
    }

    /// Formats minor units of this currency, e.g. `"2.50"` or JPY `"250"`.
    public func format(_ minorUnits: Int) -> String {
        DecimalAmount.format(minorUnits, digits: minorDigits)
    }

    /// Formats a total of many amounts in this currency.
    public func format(_ minorUnits: Int128) -> String {
        DecimalAmount.format(minorUnits, digits: minorDigits)
    }
}
