package io.breakglass.activities.deploy.kubernetes;

import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.URI;
import java.util.List;

/**
 * One Kubernetes RBAC permission: verb on a resource of an API group in a namespace, for one
 * resource name or (name null) for any. A request maps to the permission it needs, as the API
 * server's authorizer sees it.
 */
record ApiPermission(String namespace, String apiGroup, String resource, String verb, String name) {

  /**
   * The permission {@code request} needs: path {@code /api/v1/...} or {@code
   * /apis/<group>/<version>/...}.
   */
  static ApiPermission of(RecordedRequest request) {
    URI uri = URI.create(request.getPath());
    List<String> parts = List.of(uri.getPath().substring(1).split("/"));
    String group = parts.get(0).equals("api") ? "" : parts.get(1);
    List<String> rest = parts.subList(parts.get(0).equals("api") ? 2 : 3, parts.size());
    if (!rest.get(0).equals("namespaces") || rest.size() < 3) {
      throw new IllegalArgumentException("not a namespaced request: " + request.getPath());
    }
    String namespace = rest.get(1);
    String resource = rest.get(2) + (rest.size() > 4 ? "/" + rest.get(4) : "");
    String name = rest.size() > 3 ? rest.get(3) : null;
    boolean watch = uri.getQuery() != null && uri.getQuery().contains("watch=true");
    String verb =
        switch (request.getMethod()) {
          case "GET" -> name != null ? "get" : watch ? "watch" : "list";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "POST" -> "create";
          case "DELETE" -> name != null ? "delete" : "deletecollection";
          default -> throw new IllegalArgumentException("unexpected method " + request.getMethod());
        };
    return new ApiPermission(namespace, group, resource, verb, name);
  }

  /** The same permission for any name. */
  ApiPermission anyName() {
    return new ApiPermission(namespace, apiGroup, resource, verb, null);
  }
}
