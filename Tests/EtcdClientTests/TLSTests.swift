import EtcdClient
import Foundation
import Testing
import TestSupport

@Suite(.timeLimit(.minutes(2))) struct TLSTests {
    @Test func mutualTLSWithCAClientCertificateAndKey() async throws {
        let directory = TestEtcd.temporaryDirectory("tls")
        let files = try makeCertificates(in: directory)
        let server = try EmbeddedEtcd(dataDirectory: directory + "/etcd", tls: files)
        try await server.start()
        defer { server.kill() }
        #expect(server.clientURL.hasPrefix("https://"))

        let client = try EtcdClient(server.configuration)
        _ = try await client.put(PutRequest(key: "/tls/k".bytes, value: "v".bytes))
        #expect(try await client.get("/tls/k".bytes)?.value.string == "v")
        let watch = try await client.watch(WatchOptions(key: "/tls/k".bytes))
        watch.cancel()

        // Without a client certificate etcd refuses the connection.
        var noCertificate = server.configuration
        noCertificate.certFile = nil
        noCertificate.keyFile = nil
        noCertificate.requestTimeout = .seconds(3)
        await #expect(throws: EtcdError.self) { try await EtcdClient(noCertificate).get("/tls/k".bytes) }
        // Plaintext to a TLS port does not get through either.
        var plaintext = EtcdConfiguration(endpoints: ["127.0.0.1:\(server.clientPort)"])
        plaintext.requestTimeout = .seconds(3)
        await #expect(throws: EtcdError.self) { try await EtcdClient(plaintext).get("/tls/k".bytes) }
    }

    /// A CA, a server certificate for 127.0.0.1 and a client certificate, made
    /// with openssl for this test alone.
    private func makeCertificates(in directory: String) throws -> EmbeddedEtcd.TLSFiles {
        func openssl(_ arguments: String) throws {
            let result = try runTool(["openssl"] + arguments.split(separator: " ").map(String.init), directory: directory)
            #expect(result.status == 0, "openssl \(arguments)")
        }
        try "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n"
            .write(toFile: directory + "/ext.cnf", atomically: true, encoding: .utf8)
        try openssl("req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 -subj /CN=berth-test-ca")
        for name in ["server", "client"] {
            try openssl("req -newkey rsa:2048 -nodes -keyout \(name).key -out \(name).csr -subj /CN=\(name)")
            try openssl("x509 -req -in \(name).csr -CA ca.crt -CAkey ca.key -CAcreateserial -out \(name).crt -days 2 -extfile ext.cnf")
        }
        return EmbeddedEtcd.TLSFiles(caFile: directory + "/ca.crt", serverCertFile: directory + "/server.crt",
                                     serverKeyFile: directory + "/server.key", clientCertFile: directory + "/client.crt",
                                     clientKeyFile: directory + "/client.key")
    }
}
