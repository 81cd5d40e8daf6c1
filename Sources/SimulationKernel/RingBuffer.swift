/// A growable first-in-first-out queue in one contiguous buffer.
///
/// Used for waiting requests: push and pop are O(1) and allocate only when the buffer grows.
public struct RingBuffer<Element> {
    @usableFromInline var storage: ContiguousArray<Element?>
    @usableFromInline var head = 0
    @usableFromInline var stored = 0

    /// Creates an empty queue with room for `capacity` elements before it grows.
    public init(capacity: Int = 16) {
        storage = ContiguousArray(repeating: nil, count: Swift.max(capacity, 1))
    }

    /// The number of elements waiting.
    @inlinable
    public var count: Int { stored }

    /// Whether the queue is empty.
    @inlinable
    public var isEmpty: Bool { stored == 0 }

    /// Appends an element at the back.
    ///
    /// - Complexity: O(1) amortized.
    @inlinable
    public mutating func append(_ element: Element) {
        if stored == storage.count { grow() }
        var index = head &+ stored
        if index >= storage.count { index &-= storage.count }
        storage[index] = element
        stored &+= 1
    }

    /// Removes and returns the element at the front, or nil when empty.
    ///
    /// - Complexity: O(1).
    @inlinable
    public mutating func popFirst() -> Element? {
        if stored == 0 { return nil }
        let element = storage[head]
        storage[head] = nil
        head &+= 1
        if head == storage.count { head = 0 }
        stored &-= 1
        return element
    }

    /// The element at the front, without removing it.
    @inlinable
    public var first: Element? { stored == 0 ? nil : storage[head] }

    @usableFromInline
    mutating func grow() {
        var bigger = ContiguousArray<Element?>(repeating: nil, count: storage.count * 2)
        for offset in 0..<stored {
            bigger[offset] = storage[(head + offset) % storage.count]
        }
        storage = bigger
        head = 0
    }
}
