/// A resource of an API group ("" for the core group), as in schema.GroupResource.
public struct GroupResource: Sendable, Hashable, CustomStringConvertible {
    public var group: String
    public var resource: String

    public init(group: String = "", resource: String) {
        self.group = group
        self.resource = resource
    }

    /// "configmaps" for the core group, "deployments.apps" otherwise.
    public var description: String { group.isEmpty ? resource : "\(resource).\(group)" }
}
