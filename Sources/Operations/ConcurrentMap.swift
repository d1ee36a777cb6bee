extension Collection where Element: Sendable {
    /// `transform` of every element, at most `limit` at a time, in the
    /// collection's order. The operator tools keep several writes in flight
    /// this way: etcd commits concurrent proposals under one fsync, so a loop
    /// that waits for each write waits for the disk once per object.
    func concurrentMap<T: Sendable>(limit: Int, _ transform: @escaping @Sendable (Element) async throws -> T) async throws -> [T] {
        var results = [T?](repeating: nil, count: count)
        try await withThrowingTaskGroup(of: (Int, T).self) { group in
            for (index, element) in enumerated() {
                if index >= limit, let (done, result) = try await group.next() { results[done] = result }
                group.addTask { (index, try await transform(element)) }
            }
            for try await (done, result) in group { results[done] = result }
        }
        return results.map { $0! }
    }
}
