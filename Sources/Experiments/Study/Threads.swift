#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A plain mutual-exclusion lock (a `pthread_mutex_t`), for the few places where threads share
/// state: what Foundation's `NSLock` was, without Foundation's full library.
public final class Lock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    /// Creates an unlocked lock.
    public init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Waits for the lock and takes it.
    public func lock() { pthread_mutex_lock(mutex) }

    /// Gives the lock back.
    public func unlock() { pthread_mutex_unlock(mutex) }
}

/// Starting a thread of the system's own (a pthread), with a stack of a given size: what
/// Foundation's `Thread` with `stackSize` was, without Foundation's full library.
public enum SystemThread {
    private final class Start {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    /// Runs `body` on a new detached thread whose stack is `stackSize` bytes.
    public static func start(stackSize: Int, _ body: @escaping @Sendable () -> Void) {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, stackSize)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        let start = Unmanaged.passRetained(Start(body)).toOpaque()
        #if canImport(Glibc)
        var thread = pthread_t()
        #else
        var thread: pthread_t?
        #endif
        let result = pthread_create(&thread, &attributes, { pointer in
            #if canImport(Glibc)
            let start = Unmanaged<Start>.fromOpaque(pointer!).takeRetainedValue()
            #else
            let start = Unmanaged<Start>.fromOpaque(pointer).takeRetainedValue()
            #endif
            start.body()
            return nil
        }, start)
        precondition(result == 0, "cannot start a thread (error \(result))")
    }
}
