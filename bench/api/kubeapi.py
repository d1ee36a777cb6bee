"""The little the Python benchmark scripts need to talk to a Kubernetes API
server: a connection to BASE_URL (http or https) and the bearer headers."""
import http.client
import ssl
import urllib.parse


def connect(base, insecure, timeout=60):
    """One keep-alive connection; `insecure` skips certificate checks (self-signed servers)."""
    url = urllib.parse.urlsplit(base)
    if url.scheme == "https":
        context = ssl.create_default_context()
        if insecure:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        return http.client.HTTPSConnection(url.hostname, url.port or 443, context=context, timeout=timeout)
    return http.client.HTTPConnection(url.hostname, url.port or 80, timeout=timeout)


def configmaps_path(base, namespace):
    return f"{urllib.parse.urlsplit(base).path.rstrip('/')}/api/v1/namespaces/{namespace}/configmaps"


def headers(token, content_type=None):
    result = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    if content_type:
        result["Content-Type"] = content_type
    return result
