package io.rateticker.rest;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

import org.jboss.resteasy.reactive.RestQuery;

import io.rateticker.service.RequestException;
import io.rateticker.service.Symbols;

/**
 * The query parameters each API path takes, read from where each path is declared: the resources' own method
 * parameters ({@code @RestQuery}), and the hot routes' declared lists. Any other parameter is a typo or a feature the
 * service does not have, which must not silently answer with the default data. And the one reading of a date
 * parameter.
 */
final class QueryParameters {

    /** A path template as a pattern, and the parameters it takes, in the order its methods declare them. */
    private record Taken(String template, Pattern path, List<String> names) {
    }

    /** The paths without a variable, looked up as they are: the hot ones (/rates, /stream) among them. */
    private final Map<String, List<String>> fixed;
    /** The templates with a variable, the one with more fixed characters first where two match. */
    private final List<Taken> templates;

    private QueryParameters(Map<String, List<String>> fixed, List<Taken> templates) {
        this.fixed = fixed;
        this.templates = templates;
    }

    /**
     * @param resources the JAX-RS resource classes
     * @param routes the parameters of each path served by a route of its own
     */
    static QueryParameters of(Iterable<Class<?>> resources, Map<String, List<String>> routes) {
        Map<String, Set<String>> byTemplate = new LinkedHashMap<>();
        routes.forEach((path, names) -> byTemplate.computeIfAbsent(path, p -> new LinkedHashSet<>()).addAll(names));
        for (Class<?> resource : resources) {
            String base = pathOf(resource.getAnnotation(Path.class));
            for (Method method : resource.getMethods()) {
                if (!isEndpoint(method)) {
                    continue;
                }
                Set<String> names = byTemplate.computeIfAbsent(base + pathOf(method.getAnnotation(Path.class)),
                        p -> new LinkedHashSet<>());
                for (Parameter parameter : method.getParameters()) {
                    RestQuery rest = parameter.getAnnotation(RestQuery.class);
                    QueryParam query = parameter.getAnnotation(QueryParam.class);
                    if (rest != null) {
                        names.add(rest.value().isEmpty() ? parameter.getName() : rest.value());
                    } else if (query != null) {
                        names.add(query.value());
                    }
                }
            }
        }
        Map<String, List<String>> fixed = new HashMap<>();
        List<Taken> templates = new ArrayList<>();
        byTemplate.forEach((template, names) -> {
            if (template.contains("{")) {
                templates.add(new Taken(template, Pattern.compile(template.replaceAll("\\{[^/}]+}", "[^/]+")),
                        List.copyOf(names)));
            } else {
                fixed.put(template, List.copyOf(names));
            }
        });
        templates.sort(Comparator.comparingInt((Taken t) -> t.template().replaceAll("\\{[^/}]+}", "").length())
                .reversed());
        return new QueryParameters(Map.copyOf(fixed), List.copyOf(templates));
    }

    /**
     * Why a request to {@code path} with these query parameters is refused (naming the first unknown one and those
     * the path takes), or null. A path no resource declares takes none.
     */
    String refusal(String path, Iterable<String> names) {
        List<String> takes = fixed.get(path);
        if (takes == null) {
            takes = templates.stream().filter(t -> t.path().matcher(path).matches()).findFirst()
                    .map(Taken::names).orElse(List.of());
        }
        for (String name : names) {
            if (!takes.contains(name)) {
                return "unknown query parameter '" + name + "'; " + path
                        + (takes.isEmpty() ? " takes none" : " takes " + String.join(", ", takes));
            }
        }
        return null;
    }

    /** A date parameter's value: a 400 naming the parameter for anything but YYYY-MM-DD. */
    static LocalDate date(String name, String value) {
        try {
            return LocalDate.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new RequestException(400, name + ": '" + Symbols.shorten(value) + "' is not a date of the form YYYY-MM-DD");
        }
    }

    private static boolean isEndpoint(Method method) {
        for (var annotation : method.getAnnotations()) {
            if (annotation.annotationType().isAnnotationPresent(HttpMethod.class)) {
                return true;
            }
        }
        return false;
    }

    private static String pathOf(Path path) {
        if (path == null || path.value().isEmpty() || path.value().equals("/")) {
            return "";
        }
        String value = path.value().startsWith("/") ? path.value() : "/" + path.value();
        return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }
}
