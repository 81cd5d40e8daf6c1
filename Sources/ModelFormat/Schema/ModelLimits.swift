/// Hard limits on what one model may ask for, checked before anything is allocated, so that a
/// runaway or mistyped model is refused with a message instead of exhausting the machine.
public enum ModelLimits {
    /// Instances of one service.
    public static let instancesPerService = 10_000
    /// Worker threads of one instance.
    public static let threadsPerInstance = 100_000
    /// Waiting requests one instance may hold.
    public static let queueCapacity = 10_000_000
    /// Users of all closed populations together.
    public static let users = 1_000_000
    /// Instances of all services together.
    public static let instances = 100_000
    /// Events of one run.
    public static let events = 1_000_000_000_000
    /// Steps in one rate profile.
    public static let profileSteps = 10_000
    /// Length of a component name.
    public static let nameLength = 64
}
