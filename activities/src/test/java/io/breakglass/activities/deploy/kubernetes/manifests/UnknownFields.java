package io.breakglass.activities.deploy.kubernetes.manifests;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The fields of a manifest that Fabric8's typed model does not know. Its model classes catch every
 * unknown property in an {@code additionalProperties} map (a Jackson any-setter), so Jackson's
 * FAIL_ON_UNKNOWN_PROPERTIES never fires; this walks the parsed objects and names each such field
 * by its path.
 */
final class UnknownFields {

  private UnknownFields() {}

  /** Paths of the unknown fields under {@code model}, e.g. {@code spec.template.spec.foo}. */
  static List<String> of(Object model) {
    List<String> found = new ArrayList<>();
    walk(model, "", found);
    return found;
  }

  private static void walk(Object value, String path, List<String> found) {
    if (value instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        walk(item, path + "[" + i++ + "]", found);
      }
    } else if (value instanceof Map<?, ?> map) {
      map.forEach((key, item) -> walk(item, path + "." + key, found));
    } else if (value != null && value.getClass().getName().startsWith("io.fabric8.")) {
      for (Class<?> type = value.getClass(); type != Object.class; type = type.getSuperclass()) {
        for (Field field : type.getDeclaredFields()) {
          if (Modifier.isStatic(field.getModifiers())) {
            continue;
          }
          Object fieldValue = read(field, value);
          if (field.getName().equals("additionalProperties") && fieldValue instanceof Map<?, ?> m) {
            m.keySet().forEach(key -> found.add(path.isEmpty() ? key + "" : path + "." + key));
          } else {
            walk(
                fieldValue, path.isEmpty() ? field.getName() : path + "." + field.getName(), found);
          }
        }
      }
    }
  }

  private static Object read(Field field, Object owner) {
    try {
      field.setAccessible(true);
      return field.get(owner);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot read " + field, e);
    }
  }
}
