/// A growable first-in-first-out queue in one contiguous buffer.
///
/// Used for waiting requests: push and pop are O(1), in place, and allocate only when the buffer
/// grows. A reference type, like `Table`.
public final class RingBuffer<Element> {
    @usableFromInline var base: UnsafeMutablePointer<Element>
    @usableFromInline var capacity: Int
    @usableFromInline var head = 0
    @usableFromInline var stored = 0

    /// Creates an empty queue with room for `capacity` elements before it grows.
    public init(capacity: Int = 16) {
        self.capacity = Swift.max(capacity, 1)
        base = .allocate(capacity: self.capacity)
    }

    deinit {
        while stored > 0 { _ = popFirst() }
        base.deallocate()
    }

    /// The number of elements waiting.
    @inlinable @inline(__always)
    public var count: Int { stored }

    /// Whether the queue is empty.
    @inlinable @inline(__always)
    public var isEmpty: Bool { stored == 0 }

    /// Appends an element at the back.
    ///
    /// - Complexity: O(1) amortized.
    @inlinable @inline(__always)
    public func append(_ element: Element) {
        if stored == capacity { grow() }
        var index = head &+ stored
        if index >= capacity { index &-= capacity }
        (base + index).initialize(to: element)
        stored &+= 1
    }

    /// Removes and returns the element at the front, or nil when empty.
    ///
    /// - Complexity: O(1).
    @inlinable @inline(__always)
    public func popFirst() -> Element? {
        if stored == 0 { return nil }
        let element = (base + head).move()
        head &+= 1
        if head == capacity { head = 0 }
        stored &-= 1
        return element
    }

    /// The element at the front, without removing it.
    @inlinable @inline(__always)
    public var first: Element? { stored == 0 ? nil : base[head] }

    @usableFromInline
    func grow() {
        let newCapacity = capacity * 2
        let newBase = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        let firstPart = Swift.min(stored, capacity - head)
        newBase.moveInitialize(from: base + head, count: firstPart)
        (newBase + firstPart).moveInitialize(from: base, count: stored - firstPart)
        base.deallocate()
        base = newBase
        capacity = newCapacity
        head = 0
    }
}
