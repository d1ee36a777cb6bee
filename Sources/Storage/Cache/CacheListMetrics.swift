import APIMachinery
import CoreMetrics

/// What the lists a watch cache answers cost, as kube-apiserver counts it
/// (1.34+ labels): how many lists, how many objects each read from the
/// cache (all under its prefix, or only those an index holds) and how
/// many it returned. Fetched far above returned says a selector scans what
/// an index could have answered.
struct CacheListMetrics: Sendable {
    static let lists = "apiserver_cache_list_total"
    static let fetched = "apiserver_cache_list_fetched_objects_total"
    static let returned = "apiserver_cache_list_returned_objects_total"

    /// By index ("" for none): the list and fetched counters.
    private let byIndex: [String: (lists: Counter, fetched: Counter)]
    private let returnedCounter: Counter

    init(resource: GroupResource, indexes: Set<String>, factory: any MetricsFactory) {
        let labels = [("group", resource.group), ("resource", resource.resource)]
        byIndex = Dictionary(uniqueKeysWithValues: ([""] + indexes.sorted()).map { index in
            let dimensions = labels + [("index", index)]
            return (index, (Counter(label: Self.lists, dimensions: dimensions, factory: factory),
                            Counter(label: Self.fetched, dimensions: dimensions, factory: factory)))
        })
        returnedCounter = Counter(label: Self.returned, dimensions: labels, factory: factory)
    }

    func record(index: String?, fetched: Int, returned: Int) {
        guard let counters = byIndex[index ?? ""] else { return }
        counters.lists.increment()
        counters.fetched.increment(by: fetched)
        returnedCounter.increment(by: returned)
    }
}
