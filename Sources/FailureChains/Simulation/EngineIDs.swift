import SimulationKernel

/// An index into one of the engine's tables that says which table: a request's ID cannot reach
/// an instance, because `IDTable` takes only its own kind of ID.
///
/// An ID is an `Int32` and nothing more (the event packs two 32-bit payloads into 9 bytes); it
/// becomes an `Int` only here (`index`), and shows its `rawValue` only where it meets the outside:
/// fingerprint ingredients, the kernel's resource waiters, names and files.
package protocol EngineID: Hashable {
    /// The element's number, for the outside.
    var rawValue: Int32 { get }
    /// The element numbered `rawValue`.
    init(rawValue: Int32)
}

extension EngineID {
    /// The ID of the element at `index` of its table.
    @inline(__always)
    package init(_ index: Int) { self.init(rawValue: Int32(index)) }

    /// The element's index in its table: the raw value widened without its sign. An ID that
    /// names an element is never negative, so this is the same number; and a 32-bit value loaded
    /// or summed (`advanced(by:)`) is widened for free, where sign extension costs an instruction
    /// at each use (an ID used as an index is reloaded at each table it reaches). `none` has no
    /// index.
    @inline(__always)
    package var index: Int { Int(UInt32(bitPattern: rawValue)) }

    /// No element: for a field that may name none (a call's other kind of target, a client's
    /// instance before it has one).
    @inline(__always)
    package static var none: Self { Self(rawValue: -1) }

    /// Whether this is `none`.
    @inline(__always)
    package var isNone: Bool { rawValue < 0 }

    /// The ID `places` slots on: the element at place `places` of a run of them that starts
    /// here (an instance's pools from its `firstPool`). Added in 32 bits, unchecked: a table
    /// never holds 2³¹ elements, and the place was an `Int32` before it was an `Int`, so
    /// the sum costs what `Int(first) + place` did.
    @inline(__always)
    package func advanced(by places: Int) -> Self {
        Self(rawValue: rawValue &+ Int32(truncatingIfNeeded: places))
    }

    /// How many slots on `other` is (the place of `other` in a run that starts here).
    @inline(__always)
    package func distance(to other: Self) -> Int { Int(other.rawValue) - Int(rawValue) }
}

/// A request's slot in the engine's request table (`requests`, and `requestExtras` beside it).
/// A slot is reused once its request ends; the record's `generation` tells the requests apart.
@frozen
public struct RequestID: EngineID, Sendable {
    /// The slot's number, for the outside: fingerprints and the kernel's waiters.
    public let rawValue: Int32

    /// The request in slot `rawValue`.
    @inlinable @inline(__always)
    public init(rawValue: Int32) { self.rawValue = rawValue }
}

/// An instance's slot in the engine's instance table (`instances`, and `disks` beside it): every
/// instance of every service, each service's in one run (`ServiceRuntime.instances`), parked
/// ones included. Ordered and strided like its index, so that a service's instances are a range.
/// `none` is the balancer's pick when no instance is admitted, and a client's sticky instance
/// before it has one.
@frozen
public struct InstanceID: EngineID, Strideable, Sendable {
    /// The slot's number, for the outside: fingerprints and the kernel's waiters.
    public let rawValue: Int32

    /// The instance in slot `rawValue`.
    @inlinable @inline(__always)
    public init(rawValue: Int32) { self.rawValue = rawValue }

    @inlinable @inline(__always)
    public static func == (a: InstanceID, b: InstanceID) -> Bool { a.rawValue == b.rawValue }

    @inlinable @inline(__always)
    public static func < (a: InstanceID, b: InstanceID) -> Bool { a.rawValue < b.rawValue }

    /// How many slots on `other` is.
    @inlinable @inline(__always)
    public func distance(to other: InstanceID) -> Int { Int(other.rawValue) - Int(rawValue) }

    /// The slot `n` slots on.
    @inlinable @inline(__always)
    public func advanced(by n: Int) -> InstanceID { InstanceID(rawValue: rawValue + Int32(n)) }

    @inlinable
    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }
}

/// A service's place in the engine's service table (`services`), which is its place in the
/// model's `services`: what a request, a traffic source, a message queue and a call's target
/// resolve a service's name to, once, at assembly. `none` is the target of a call to an endpoint
/// or a message queue.
@frozen
public struct ServiceID: EngineID, Sendable {
    /// The service's number, for the outside: fingerprints and the model's list of services.
    public let rawValue: Int32

    /// The service at `rawValue`.
    @inlinable @inline(__always)
    public init(rawValue: Int32) { self.rawValue = rawValue }
}

/// An endpoint's place in the engine's endpoint table (`endpoints`), which is its place in the
/// model's `endpoints`: what a call's target resolves an endpoint's name to, at assembly. `none`
/// is the target of a call to a service or a message queue.
@frozen
public struct EndpointID: EngineID, Sendable {
    /// The endpoint's number, for the outside: fingerprints and the model's list of endpoints.
    public let rawValue: Int32

    /// The endpoint at `rawValue`.
    @inlinable @inline(__always)
    public init(rawValue: Int32) { self.rawValue = rawValue }
}

/// A thread pool's slot in the engine's pool table (`threadPools`): each instance's pools are a
/// run of slots from its `firstPool` (the own pools of its entry points, in their order, then the
/// service's shared pools), and an entry point's pool is in its state (`EntryRuntime.pool`).
@frozen
public struct ThreadPoolID: EngineID, Sendable {
    /// The slot's number, for the outside.
    public let rawValue: Int32

    /// The pool in slot `rawValue`.
    @inlinable @inline(__always)
    public init(rawValue: Int32) { self.rawValue = rawValue }
}

/// An open traffic source's place in the engine's source table (`sources`), which is its place in
/// the model's `traffic`: what a fire-and-forget request's origin, a source's arrival and rate
/// change, and the clients of its visits name it by.
@frozen
public struct SourceID: EngineID, Sendable {
    /// The source's number, for the outside: fingerprints and the model's list of sources.
    public let rawValue: Int32

    /// The source at `rawValue`.
    @inlinable @inline(__always)
    public init(rawValue: Int32) { self.rawValue = rawValue }
}

/// A closed user population's place in the engine's population table (`populations`), which is
/// its place in the model's `users`: what each of its users names it by (`ClientOwner`).
@frozen
public struct PopulationID: EngineID, Sendable {
    /// The population's number, for the outside: the model's list of populations.
    public let rawValue: Int32

    /// The population at `rawValue`.
    @inlinable @inline(__always)
    public init(rawValue: Int32) { self.rawValue = rawValue }
}

/// A client's slot in the engine's client table (`clients`): a visitor of an open source or a user
/// of a population, named by its traffic events and by the origin of the request it waits on. A
/// visitor's slot is reused once its visit ends (`freeClients`); its `token` tells the visits apart.
@frozen
public struct ClientID: EngineID, Sendable {
    /// The slot's number, for the outside: fingerprints and replays (`shoppers client 17`).
    public let rawValue: Int32

    /// The client in slot `rawValue`.
    @inlinable @inline(__always)
    public init(rawValue: Int32) { self.rawValue = rawValue }
}

/// An instance's dependency's slot in the engine's `dependencyStates` and `connectionPools` (one
/// row of each per dependency of each instance): an instance's run of slots starts at its
/// `firstDependency`, in the order of its service's dependencies (`dependencySlot(_:_:)`). Not
/// the service's compiled dependency (`CompiledDependencyID`), which is one per dependency of a
/// service, shared by its instances.
@frozen
public struct DependencySlotID: EngineID, Sendable {
    /// The slot's number.
    public let rawValue: Int32

    /// The slot numbered `rawValue`.
    @inlinable @inline(__always)
    public init(rawValue: Int32) { self.rawValue = rawValue }
}

/// A service's dependency's row in the engine's `compiledDependencies` (what the call path reads
/// of it: its target, timeouts, patterns): a service's rows start at its `firstDependency`, in the
/// order of its dependencies (`compiledDependency(_:_:)`). One row per dependency of a service,
/// shared by its instances; not an instance's `DependencySlotID`.
@frozen
public struct CompiledDependencyID: EngineID, Sendable {
    /// The row's number.
    public let rawValue: Int32

    /// The row numbered `rawValue`.
    @inlinable @inline(__always)
    public init(rawValue: Int32) { self.rawValue = rawValue }
}

/// An instance's entry point's slot in the engine's `entryStates` (its pool, its fail-fast flag, its
/// share of a shared pool): an instance's run of slots starts at its `firstEntry`, in the order of
/// its service's entry points (`entrySlot(_:_:)`). Not the entry point's place in its service
/// (`RequestRecord.entry`), nor its row of steps (`serviceEntry`).
@frozen
public struct EntrySlotID: EngineID, Sendable {
    /// The slot's number.
    public let rawValue: Int32

    /// The slot numbered `rawValue`.
    @inlinable @inline(__always)
    public init(rawValue: Int32) { self.rawValue = rawValue }
}

/// A compiled step's place in the engine's step table (`steps`): each entry point's steps are a
/// run of places from its row's `first` in `entrySteps`, and a request's `step` is its place in the
/// run (`steps[first.advanced(by: step)]`), as are a mix's branch starts and a jump's target.
@frozen
public struct StepID: EngineID, Sendable {
    /// The place's number.
    public let rawValue: Int32

    /// The step at `rawValue`.
    @inlinable @inline(__always)
    public init(rawValue: Int32) { self.rawValue = rawValue }
}

/// A service's entry point's row in the engine's `entrySteps` (where its steps start in `steps`,
/// and how many there are): a service's rows start at its `firstEntryStep`, copied to each of its
/// instances' `serviceEntry`, in the order of its entry points. One row per entry point of a
/// service, shared by its instances; not an instance's `EntrySlotID`.
@frozen
public struct ServiceEntryID: EngineID, Sendable {
    /// The row's number.
    public let rawValue: Int32

    /// The row numbered `rawValue`.
    @inlinable @inline(__always)
    public init(rawValue: Int32) { self.rawValue = rawValue }
}

/// A lock's place in the engine's lock table (`locks`), which is its place in the model's
/// `locks`: what a compiled lock step (`CompiledLockStep.lock`) and a hold's end name it by.
@frozen
public struct LockID: EngineID, Sendable {
    /// The lock's number, for the outside: fingerprints and the model's list of locks.
    public let rawValue: Int32

    /// The lock at `rawValue`.
    @inlinable @inline(__always)
    public init(rawValue: Int32) { self.rawValue = rawValue }
}

/// A message queue's place in the engine's queue table (`messageQueues`), which is its place in
/// the model's `messageQueues`: what a compiled call to a queue (`CompiledDependency.queue`), a
/// message's `Origin` and the queue's events name it by. `none` is the target of a call to a
/// service or an endpoint.
@frozen
public struct MessageQueueID: EngineID, Sendable {
    /// The queue's number, for the outside: fingerprints and the model's list of message queues.
    public let rawValue: Int32

    /// The queue at `rawValue`.
    @inlinable @inline(__always)
    public init(rawValue: Int32) { self.rawValue = rawValue }
}

/// A cache's slot in the engine's cache table (`caches`): each dependency with a cache has one
/// per instance of its service, a run of slots from its `CompiledDependency.cache` in the order of
/// the service's instances (`cacheIndex(_:compiled:)`). `none` is the cache of a dependency without one.
@frozen
public struct CacheID: EngineID, Sendable {
    /// The slot's number.
    public let rawValue: Int32

    /// The cache in slot `rawValue`.
    @inlinable @inline(__always)
    public init(rawValue: Int32) { self.rawValue = rawValue }
}

/// A fault's place in the model's `faults`: what its window's start and end events carry. The
/// components that keep faults active (`Endpoint`, `ServiceWork`, `Autoscaler`) know it by its
/// `rawValue`, as the kernel's resources know a request's.
@frozen
public struct FaultID: EngineID, Sendable {
    /// The fault's number, for the outside: fingerprints, the components and `faults[N]` in replays.
    public let rawValue: Int32

    /// The fault at `rawValue`.
    @inlinable @inline(__always)
    public init(rawValue: Int32) { self.rawValue = rawValue }
}

/// What a client belongs to: an open source (a visitor, for its visit) or a closed population
/// (a user, for the run). Five bytes, as the 32-bit owner and the `isUser` flag it replaces were.
@frozen
public enum ClientOwner: Hashable, Sendable {
    case source(SourceID)
    case population(PopulationID)
}

/// A `Table` whose elements are found by one kind of ID: `requests[id]` compiles only with a
/// `RequestID`. A struct around the table, so it costs what the table does: one reference, and
/// the table's own subscript.
package struct IDTable<ID: EngineID, Element> {
    /// The table, for what reads it as a whole (its size, its memory).
    package let storage: Table<Element>

    /// Creates an empty table with room for `capacity` elements before it grows.
    package init(capacity: Int = 16) {
        storage = Table(capacity: capacity)
    }

    /// Makes room for at least `minimumCapacity` elements (`Table.reserveCapacity`).
    package func reserveCapacity(_ minimumCapacity: Int) {
        storage.reserveCapacity(minimumCapacity)
    }

    /// The element of `id`, read and written in place.
    @inline(__always)
    package subscript(id: ID) -> Element {
        unsafeAddress { UnsafePointer(storage.pointer(at: id.index)) }
        nonmutating unsafeMutableAddress { storage.pointer(at: id.index) }
    }

    /// The element at `offset` of a run of elements that starts at `first` (an instance's pools
    /// from its `firstPool`), read and written in place. Added as `Int`s, as the index was
    /// before it was typed: in a loop over the run, the address then steps by the stride,
    /// where a 32-bit sum (`first.advanced(by:)`) would be widened at each step.
    @inline(__always)
    package subscript(first: ID, offset offset: Int) -> Element {
        unsafeAddress { UnsafePointer(storage.pointer(at: first.index &+ offset)) }
        nonmutating unsafeMutableAddress { storage.pointer(at: first.index &+ offset) }
    }

    /// The address of the element of `id`, as `Table.pointer(at:)` gives it.
    @inline(__always)
    package func pointer(at id: ID) -> UnsafeMutablePointer<Element> {
        storage.pointer(at: id.index)
    }

    /// Appends an element and returns its ID.
    @inline(__always) @discardableResult
    package func append(_ element: Element) -> ID {
        ID(storage.append(element))
    }

    /// The number of elements.
    @inline(__always)
    package var count: Int { storage.count }

    /// Whether the table is empty.
    @inline(__always)
    package var isEmpty: Bool { storage.isEmpty }

    /// The bytes the table holds reserved for its elements.
    package var reservedBytes: Int { storage.reservedBytes }

    /// The IDs of the elements, in order.
    package var ids: LazyMapSequence<Range<Int>, ID> { storage.indices.lazy.map { ID($0) } }
}

extension CountedResource.Waiter {
    /// A request waiting in its wait `generation`: the kernel's resources know waiters by a raw
    /// `Int32`, and the engine's requests meet them here.
    @inline(__always)
    package init(_ request: RequestID, generation: UInt32) {
        self.init(id: request.rawValue, generation: generation)
    }

    /// The request waiting (the waiter of a request).
    @inline(__always)
    package var request: RequestID { RequestID(rawValue: id) }
}

extension Cache.Waiter {
    /// A request waiting for a fill in its wait `generation`.
    @inline(__always)
    package init(_ request: RequestID, generation: UInt32) {
        self.init(id: request.rawValue, generation: generation)
    }

    /// The request waiting.
    @inline(__always)
    package var request: RequestID { RequestID(rawValue: id) }
}
