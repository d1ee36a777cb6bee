import APIMachinery
@testable import Registry
import Testing

struct RuntimeConfigTests {
    static let definitions = BuiltinResources.definitions()

    func served(_ flag: String) throws -> Set<String> {
        Set(try RuntimeConfig(parsing: flag).served(Self.definitions).map { "\($0.groupVersion)/\($0.resource)" })
    }

    @Test func defaultsServeStableAndBetaButNotAlphaOrOptOutBetas() throws {
        let served = try served("")
        #expect(served.contains("v1/configmaps"))
        #expect(served.contains("events.k8s.io/v1/events"))
        #expect(served.contains("autoscaling/v1/horizontalpodautoscalers"))
        #expect(!served.contains("events.k8s.io/v1beta1/events"), "deprecated and off by default")
        #expect(!served.contains("coordination.k8s.io/v1alpha2/leasecandidates"))
    }

    @Test func allOffThenOneGroupBackOn() throws {
        let served = try served("api/all=false,coordination.k8s.io/v1=true")
        #expect(served == ["coordination.k8s.io/v1/leases"])
        // The more specific key wins whatever the order, as kube-apiserver reads it.
        #expect(try self.served("coordination.k8s.io/v1,api/all=false") == served)
    }

    @Test func oneResourceOffLeavesTheRestOfItsVersion() throws {
        let served = try served("autoscaling/v1/horizontalpodautoscalers=false")
        #expect(!served.contains("autoscaling/v1/horizontalpodautoscalers"))
        #expect(served.contains("autoscaling/v2/horizontalpodautoscalers"))
        #expect(served.contains("v1/configmaps"))
        #expect(try !self.served("api/v1/configmaps=false").contains("v1/configmaps"))
    }

    @Test func stabilityKeysAndLaterSettingsOfOneKey() throws {
        #expect(try served("api/alpha=true").contains("coordination.k8s.io/v1alpha2/leasecandidates"))
        #expect(try served("api/beta=true").contains("events.k8s.io/v1beta1/events"))
        #expect(try !served("api/ga=false").contains("v1/configmaps"))
        #expect(try served("api/ga=false").contains("coordination.k8s.io/v1alpha2/leasecandidates") == false)
        #expect(try served("events.k8s.io/v1beta1=true,events.k8s.io/v1beta1=false").contains("events.k8s.io/v1beta1/events") == false)
        #expect(try served("events.k8s.io/v1beta1").contains("events.k8s.io/v1beta1/events"), "no value means true")
    }

    @Test func unknownNamesAndBadValuesStopStartupNamingThem() {
        func failure(_ flag: String) -> String {
            do {
                _ = try served(flag)
                return ""
            } catch {
                return "\(error)"
            }
        }
        #expect(failure("apps/v1=true").contains("unknown API group \"apps\""))
        #expect(failure("autoscaling/v3=true").contains("unknown group version \"autoscaling/v3\""))
        #expect(failure("api/v1/widgets=false").contains("unknown resource \"widgets\""))
        #expect(failure("api/all=maybe").contains("invalid value"))
        #expect(failure("configmaps").contains("is not api/all"))
    }

    @Test func storageVersionOverridesApplyToEveryVersionOfTheStorage() throws {
        let definitions = try StorageVersionOverrides(parsing: ["horizontalpodautoscalers.autoscaling=v1",
                                                                "events.events.k8s.io=v1"]).apply(to: Self.definitions)
        for definition in definitions where definition.resource == "horizontalpodautoscalers" {
            #expect(definition.storageVersion == "autoscaling/v1")
        }
        for definition in definitions where definition.resource == "events" {
            #expect(definition.storageVersion == "events.k8s.io/v1")
        }
        #expect(throws: RuntimeConfig.ParseError.self) {
            try StorageVersionOverrides(parsing: ["horizontalpodautoscalers.autoscaling=v3"]).apply(to: Self.definitions)
        }
        #expect(throws: RuntimeConfig.ParseError.self) {
            try StorageVersionOverrides(parsing: ["deployments.apps=v1"]).apply(to: Self.definitions)
        }
        #expect(throws: RuntimeConfig.ParseError.self) { try StorageVersionOverrides(parsing: ["configmaps"]) }
    }

    @Test func versionsSortAsKubernetesPrefersThem() {
        let names = ["v1alpha1", "v2beta1", "foo", "v1", "v11alpha2", "v1beta2", "v2", "v10", "bar", "v12alpha1"]
        #expect(names.map(APIVersion.init).sorted().map(\.name)
                == ["v10", "v2", "v1", "v2beta1", "v1beta2", "v12alpha1", "v11alpha2", "v1alpha1", "bar", "foo"])
        #expect(APIVersion("v1beta1").stability == .beta)
        #expect(APIVersion("v0").stability == .other)
    }
}
