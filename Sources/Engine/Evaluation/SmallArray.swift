/// An array that keeps a single element inline: empty or with one element, it allocates nothing.
///
/// Evaluation builds several short lists for every payment (the rules it was assessed against,
/// its lines, their usage keys, its decisions), and nearly all of them hold one element or
/// none. As `Array`s they were most of a payment's allocations; as small arrays, a payment with
/// one rule, one line and one decision allocates none of them. From a second element on, the
/// elements live in an `Array`.
public struct SmallArray<Element> {
    @usableFromInline
    enum Storage {
        case empty
        case one(Element)
        case many([Element])
    }

    @usableFromInline
    var storage: Storage

    @inlinable
    public init() { storage = .empty }

    /// One element (an array literal would make an `Array` first).
    @inlinable
    public init(_ element: Element) { storage = .one(element) }

    @inlinable
    public init(_ elements: some Sequence<Element>) {
        self.init()
        append(contentsOf: elements)
    }

    /// The elements as an `Array` (which allocates unless there are none).
    @inlinable
    public var array: [Element] {
        switch storage {
        case .empty: []
        case .one(let element): [element]
        case .many(let elements): elements
        }
    }
}

extension SmallArray: RandomAccessCollection, MutableCollection, RangeReplaceableCollection {
    @inlinable
    public var startIndex: Int { 0 }

    @inlinable
    public var endIndex: Int {
        switch storage {
        case .empty: 0
        case .one: 1
        case .many(let elements): elements.count
        }
    }

    @inlinable
    public subscript(position: Int) -> Element {
        get {
            switch storage {
            case .one(let element) where position == 0: element
            case .many(let elements): elements[position]
            case .empty, .one: preconditionFailure("SmallArray index \(position) out of range")
            }
        }
        set {
            switch storage {
            case .one where position == 0:
                storage = .one(newValue)
            case .many(var elements):
                // Let go of the stored array first, so that it is changed in place, not copied.
                storage = .empty
                elements[position] = newValue
                storage = .many(elements)
            case .empty, .one:
                preconditionFailure("SmallArray index \(position) out of range")
            }
        }
    }

    @inlinable
    public mutating func append(_ element: Element) {
        switch storage {
        case .empty:
            storage = .one(element)
        case .one(let first):
            storage = .many([first, element])
        case .many(var elements):
            storage = .empty
            elements.append(element)
            storage = .many(elements)
        }
    }

    @inlinable
    public mutating func replaceSubrange(_ subrange: Range<Int>, with newElements: some Collection<Element>) {
        var elements = array
        storage = .empty
        elements.replaceSubrange(subrange, with: newElements)
        switch elements.count {
        case 0: storage = .empty
        case 1: storage = .one(elements[0])
        default: storage = .many(elements)
        }
    }
}

extension SmallArray: ExpressibleByArrayLiteral {
    @inlinable
    public init(arrayLiteral elements: Element...) {
        self.init(elements)
    }
}

extension SmallArray: Equatable where Element: Equatable {
    @inlinable
    public static func == (lhs: SmallArray, rhs: SmallArray) -> Bool {
        lhs.elementsEqual(rhs)
    }
}

extension SmallArray: Sendable where Element: Sendable {}

extension SmallArray.Storage: Sendable where Element: Sendable {}

extension SmallArray: CustomStringConvertible {
    public var description: String { array.description }
}
