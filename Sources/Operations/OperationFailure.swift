/// Why an operator tool stopped: a backup that cannot be read or trusted, an
/// etcd tool that failed, an object that exists under `--existing fail`. The
/// description is the message the operator sees.
public struct OperationFailure: Error, CustomStringConvertible {
    public var description: String

    public init(description: String) {
        self.description = description
    }
}
