/// A growable array of values at a stable address, reached by index in place.
///
/// Indices are checked in debug builds (`make test` runs the engine's tests in one); release
/// builds trust the engine's own indices, as a hand-written C event loop does, because the check
/// costs a tenth of the run time.
///
/// The engine keeps its instances, requests and event heap in tables: an element is read and
/// written where it lives, with no copy-on-write uniqueness check and no copy of the element,
/// which is what the hot path of a run needs. A table is a reference type: share it knowingly.
public final class Table<Element> {
    @usableFromInline var base: UnsafeMutablePointer<Element>
    @usableFromInline var capacity: Int
    @usableFromInline var storedCount = 0

    /// The number of elements.
    @inlinable
    public var count: Int { storedCount }

    /// The bytes the table holds reserved for its elements (a table never shrinks).
    public var reservedBytes: Int { capacity * MemoryLayout<Element>.stride }

    /// Creates an empty table with room for `capacity` elements before it grows.
    public init(capacity: Int = 16) {
        self.capacity = Swift.max(capacity, 1)
        base = Self.allocateLines(self.capacity)
    }

    /// Creates a table holding the given elements.
    public convenience init<Elements: Collection>(_ elements: Elements) where Elements.Element == Element {
        self.init(capacity: elements.count)
        for element in elements { append(element) }
    }

    deinit {
        base.deinitialize(count: count)
        UnsafeMutableRawPointer(base).deallocate()
    }

    /// Whether the table is empty.
    @inlinable
    public var isEmpty: Bool { count == 0 }

    /// The valid indices.
    @inlinable
    public var indices: Range<Int> { 0..<count }

    /// The element at `index`, read and written in place.
    ///
    /// - Complexity: O(1).
    @inlinable
    public subscript(index: Int) -> Element {
        unsafeAddress {
            assert(index >= 0 && index < count, "table index \(index) out of range 0..<\(count)")
            return UnsafePointer(base + index)
        }
        unsafeMutableAddress {
            assert(index >= 0 && index < count, "table index \(index) out of range 0..<\(count)")
            return base + index
        }
    }

    /// The address of the element at `index`, for a hot path that reads and writes several of its
    /// fields: one load of the table's storage instead of one per field (a store through the
    /// element may alias the table's own fields, so each subscript reloads them).
    ///
    /// Valid until the table grows (an append past its capacity); checked like the subscript.
    @inlinable @inline(__always)
    public func pointer(at index: Int) -> UnsafeMutablePointer<Element> {
        assert(index >= 0 && index < count, "table index \(index) out of range 0..<\(count)")
        return base + index
    }

    /// Appends an element and returns its index.
    ///
    /// - Complexity: O(1) amortized.
    @inlinable
    @discardableResult
    public func append(_ element: Element) -> Int {
        if count == capacity { grow() }
        (base + storedCount).initialize(to: element)
        storedCount &+= 1
        return storedCount &- 1
    }

    /// Removes and returns the last element, or nil when empty.
    @inlinable
    public func popLast() -> Element? {
        guard storedCount > 0 else { return nil }
        storedCount &-= 1
        return (base + storedCount).move()
    }

    /// Removes every element, keeping the storage.
    public func removeAll() {
        base.deinitialize(count: storedCount)
        storedCount = 0
    }

    /// Storage for `capacity` elements, starting on a 64-byte cache line: an element whose stride
    /// is a multiple of 64 then starts on a line of its own, so that the fields it keeps first (a
    /// record's hot ones) share one line, however many records the table holds.
    @usableFromInline
    static func allocateLines(_ capacity: Int) -> UnsafeMutablePointer<Element> {
        let bytes = Swift.max(1, capacity * MemoryLayout<Element>.stride)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: Swift.max(64, MemoryLayout<Element>.alignment))
        return raw.bindMemory(to: Element.self, capacity: capacity)
    }

    /// Makes room for at least `minimumCapacity` elements in one allocation, so that appending up
    /// to that many moves nothing: assembly reserves what it is about to append (10,000 instances
    /// and their pools) instead of copying the table at each doubling.
    public func reserveCapacity(_ minimumCapacity: Int) {
        guard minimumCapacity > capacity else { return }
        resize(to: minimumCapacity)
    }

    @usableFromInline
    func grow() {
        resize(to: capacity * 2)
    }

    private func resize(to newCapacity: Int) {
        let newBase = Self.allocateLines(newCapacity)
        newBase.moveInitialize(from: base, count: count)
        UnsafeMutableRawPointer(base).deallocate()
        base = newBase
        capacity = newCapacity
    }
}

extension Table: RandomAccessCollection {
    /// Always 0.
    @inlinable
    public var startIndex: Int { 0 }

    /// The number of elements.
    @inlinable
    public var endIndex: Int { storedCount }
}
