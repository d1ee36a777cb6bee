import Foundation

/// The kubeconfig `berth serve` writes so that kubectl can reach it at once:
/// the server URL, the CA that signed its certificate, and a bearer token.
public enum Kubeconfig {
    public static func render(server: String, caPEM: String?, token: String?) -> String {
        var cluster = "    server: \(server)\n"
        if let caPEM {
            cluster += "    certificate-authority-data: \(Data(caPEM.utf8).base64EncodedString())\n"
        }
        let user = token.map { "    token: \($0)\n" } ?? "    {}\n"
        return """
            apiVersion: v1
            kind: Config
            clusters:
            - name: berth
              cluster:
            \(cluster)users:
            - name: berth-admin
              user:
            \(user)contexts:
            - name: berth
              context:
                cluster: berth
                user: berth-admin
            current-context: berth

            """
    }
}
