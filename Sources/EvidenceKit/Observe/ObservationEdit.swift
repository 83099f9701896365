/// Changes to an observation: the fields named in ``changed`` take their value from ``fields`` (an empty list or
/// text clears one); every other field stays as it was.
public struct ObservationEdit: Sendable {
    /// The new values.
    public var fields = ObservationFields()
    /// Which fields change.
    public var changed: Set<ObservationFields.Key> = []

    /// No changes.
    public init() {}

    /// Whether nothing would change.
    public var isEmpty: Bool { changed.isEmpty }
}
