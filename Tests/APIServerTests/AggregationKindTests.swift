import APIMachinery
@testable import APIServer
import Foundation
import Testing

/// The kinds the aggregation layer reads: APIServices (kube-aggregator's
/// validation, defaults and columns) and the endpoints of Services
/// (EndpointSlices and Endpoints, which refuse loopback addresses as kube does).
@Suite struct AggregationKindTests {
    static let apiServices = "/apis/apiregistration.k8s.io/v1/apiservices"

    static func apiService(_ name: String, group: String = "metrics.acc.example.com", version: String = "v1beta1",
                           service: JSONValue? = ["namespace": "default", "name": "acc-ext"],
                           extra: JSONObject = [:]) -> JSONValue {
        var spec: JSONObject = ["group": .string(group), "version": .string(version), "groupPriorityMinimum": 1000,
                                "versionPriority": 15, "insecureSkipTLSVerify": true]
        if let service { spec["service"] = service }
        for (key, value) in extra { spec[key] = value }
        return ["apiVersion": "apiregistration.k8s.io/v1", "kind": "APIService", "metadata": ["name": .string(name)],
                "spec": .object(spec)]
    }

    @Test func anAPIServiceIsNamedVersionDotGroupAndValidatedAsKubeDoes() async throws {
        try await TestAPI.run { api in
            let wrong = try await api.request(.post, Self.apiServices, json: Self.apiService("wrong"))
            #expect(wrong.status.code == 422)
            #expect(wrong.json == reference("aggregation/apiservice-status-422-name.json"))

            let created = try await api.request(.post, Self.apiServices, json: Self.apiService("v1beta1.metrics.acc.example.com"))
            #expect(created.status == .created)
            // The service port defaults to 443, the status starts empty, and no generation is kept.
            let expected = try #require(reference("aggregation/apiservice-create.json"))
            #expect(created.json["spec"]?["service"] == expected["spec"]?["service"])
            #expect(created.json["status"] == [:])
            #expect(created.json["metadata"]?["generation"] == nil)

            // Bad priorities, a bad port, and TLS settings on a local APIService.
            let bad = try await api.request(.post, Self.apiServices, json: Self.apiService(
                "v1.bad.example.com", group: "bad.example.com", version: "v1",
                service: ["namespace": "", "name": "x", "port": 70000],
                extra: ["groupPriorityMinimum": 0, "versionPriority": 1001, "caBundle": "Zm9v"]))
            #expect(bad.status.code == 422)
            let causes = (bad.json["details"]?["causes"]?.arrayValue ?? []).map { "\($0["field"]?.stringValue ?? ""): \($0["message"]?.stringValue ?? "")" }
            #expect(causes == [
                "spec.groupPriorityMinimum: Invalid value: 0: must be positive and less than 20000",
                "spec.versionPriority: Invalid value: 1001: must be positive and less than 1000",
                "spec.service.namespace: Required value",
                "spec.service.port: Invalid value: 70000: port is not valid: must be between 1 and 65535, inclusive",
                "spec.insecureSkipTLSVerify: Invalid value: true: may not be true if caBundle is present",
            ])
            let local = try await api.request(.post, Self.apiServices, json: Self.apiService(
                "v1.local.example.com", group: "local.example.com", version: "v1", service: nil))
            #expect(local.status.code == 422)
            #expect(local.json["details"]?["causes"]?[0]?["message"] == "Invalid value: true: local APIServices may not have insecureSkipTLSVerify")

            // kubectl's columns: where it is served and whether it is available.
            let table = try await api.get(Self.apiServices + "/v1beta1.metrics.acc.example.com",
                                          accept: "application/json;as=Table;v=v1;g=meta.k8s.io")
            #expect(table.json["columnDefinitions"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["Name", "Service", "Available", "Age"])
            #expect(table.json["rows"]?[0]?["cells"]?[1] == "default/acc-ext")
            #expect(table.json["rows"]?[0]?["cells"]?[2] == "Unknown")
        }
    }

    @Test func endpointsOfAServiceMayNotBeLoopbackUnspecifiedOrLinkLocal() async throws {
        try await TestAPI.run { api in
            let slices = "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices"
            func slice(_ addresses: [String], type: String = "IPv4") -> JSONValue {
                ["apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
                 "metadata": ["name": "acc-ext-1", "labels": ["kubernetes.io/service-name": "acc-ext"]],
                 "addressType": .string(type),
                 "endpoints": [["addresses": .array(addresses.map(JSONValue.string)), "conditions": ["ready": true]]],
                 "ports": [["name": "https", "port": 33929]]]
            }
            let refused = try await api.request(.post, slices, json: slice(["127.0.0.1"]))
            #expect(refused.status.code == 422)
            #expect(refused.json["message"] == "EndpointSlice.discovery.k8s.io \"acc-ext-1\" is invalid: endpoints[0].addresses[0]: Invalid value: \"127.0.0.1\": may not be in the loopback range (127.0.0.0/8, ::1/128)")
            for (addresses, type, message) in [(["0.0.0.0"], "IPv4", "may not be unspecified (0.0.0.0)"),
                                                (["169.254.1.1"], "IPv4", "may not be in the link-local range (169.254.0.0/16, fe80::/10)"),
                                                (["::1"], "IPv4", "must be a valid IPv4 address"),
                                                (["::1"], "IPv6", "may not be in the loopback range (127.0.0.0/8, ::1/128)")] {
                let reply = try await api.request(.post, slices, json: slice(addresses, type: type))
                #expect(reply.status.code == 422)
                #expect(reply.json["details"]?["causes"]?[0]?["message"]?.stringValue?.hasSuffix(message) == true, "\(addresses) \(type)")
            }
            let bogusType = try await api.request(.post, slices, json: slice(["10.0.0.1"], type: "IPv5"))
            #expect(bogusType.json["details"]?["causes"]?[0]?["message"] == "Unsupported value: \"IPv5\": supported values: \"FQDN\", \"IPv4\", \"IPv6\"")

            // A good slice: kube's defaults, a generation that counts changes, an immutable addressType.
            let created = try await api.request(.post, slices, json: slice(["10.213.0.6"]))
            #expect(created.status == .created)
            let expected = try #require(reference("aggregation/endpointslice-create.json"))
            #expect(created.json["ports"] == expected["ports"])
            #expect(created.json["endpoints"] == expected["endpoints"])
            #expect(created.json["metadata"]?["generation"] == 1)
            var changed = created.json
            changed["endpoints"] = [["addresses": ["10.213.0.7"]]]
            let updated = try await api.request(.put, slices + "/acc-ext-1", json: changed)
            #expect(updated.json["metadata"]?["generation"] == 2)
            var retyped = updated.json
            retyped["addressType"] = "FQDN"
            retyped["endpoints"] = [["addresses": ["ext.example.com"]]]
            let immutable = try await api.request(.put, slices + "/acc-ext-1", json: retyped)
            #expect(immutable.json["details"]?["causes"]?[0]?["message"] == "Invalid value: \"FQDN\": field is immutable")

            // Core Endpoints refuse the same addresses.
            let endpoints: JSONValue = ["apiVersion": "v1", "kind": "Endpoints", "metadata": ["name": "acc-ext"],
                                        "subsets": [["addresses": [["ip": "127.0.0.2"]], "ports": [["port": 443]]]]]
            let refusedEndpoints = try await api.request(.post, "/api/v1/namespaces/default/endpoints", json: endpoints)
            #expect(refusedEndpoints.status.code == 422)
            #expect(refusedEndpoints.json["details"]?["causes"]?[0]?["field"] == "subsets[0].addresses[0].ip")
        }
    }
}
