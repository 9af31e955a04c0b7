package dev.wasmorch.operator.reconcile.validate;

import dev.wasmorch.operator.crd.WasmAppSpec;
import dev.wasmorch.operator.reconcile.status.Problem;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Kubernetes' rules for names, keys and label values, as the API server applies them to the
 * objects the operator writes: a value it would refuse there is refused here, naming the rule.
 * Lengths are checked before patterns, so no pattern sees an overlong string.
 */
final class KubernetesNames {
    private static final Pattern DNS_1123_SUBDOMAIN = Pattern.compile(WasmAppSpec.DNS_1123_SUBDOMAIN);
    private static final Pattern INGRESS_HOST = Pattern.compile(WasmAppSpec.INGRESS_HOST);
    private static final Pattern IPV4_LIKE = Pattern.compile("^[0-9]+([.][0-9]+){3}$");
    private static final Pattern LABEL_VALUE = Pattern.compile(WasmAppSpec.LABEL_VALUE);
    private static final int NAME_MAX = 63;

    private KubernetesNames() {}

    /** RuntimeClass, Secret, IngressClass names: a DNS-1123 subdomain. */
    static Optional<String> subdomainProblem(String s) {
        if (s.length() > WasmAppSpec.DNS_1123_SUBDOMAIN_MAX) {
            return Optional.of(tooLong(s, WasmAppSpec.DNS_1123_SUBDOMAIN_MAX));
        }
        return DNS_1123_SUBDOMAIN.matcher(s).matches()
                ? Optional.empty()
                : Optional.of("must be a DNS-1123 subdomain (lower-case letters, digits, '-' and '.', starting and"
                        + " ending with a letter or digit), got " + Problem.quote(s));
    }

    /** An Ingress rule's host: a DNS-1123 subdomain, optionally with a leading {@code *.}; not an IP address. */
    static Optional<String> ingressHostProblem(String s) {
        if (s.length() > WasmAppSpec.DNS_1123_SUBDOMAIN_MAX) {
            return Optional.of(tooLong(s, WasmAppSpec.DNS_1123_SUBDOMAIN_MAX));
        }
        if (IPV4_LIKE.matcher(s).matches()) {
            return Optional.of("must be a DNS name, not an IP address, got " + Problem.quote(s));
        }
        return INGRESS_HOST.matcher(s).matches()
                ? Optional.empty()
                : Optional.of("must be a DNS host name (a DNS-1123 subdomain, optionally starting with '*.'), got "
                        + Problem.quote(s));
    }

    /** Annotation and label keys: {@code [prefix/]name}, prefix a DNS-1123 subdomain, name at most 63. */
    static Optional<String> qualifiedNameProblem(String key) {
        int slash = key.indexOf('/');
        String name = slash < 0 ? key : key.substring(slash + 1);
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            if (prefix.isEmpty()) {
                return Optional.of("key " + shown(key) + ": the prefix before '/' is empty");
            }
            if (name.contains("/")) {
                return Optional.of("key " + shown(key) + ": at most one '/' is allowed");
            }
            Optional<String> problem = subdomainProblem(prefix);
            if (problem.isPresent()) {
                return Optional.of("key " + shown(key) + ": the prefix " + problem.get());
            }
        }
        if (name.isEmpty()) {
            return Optional.of("key " + shown(key) + ": the name part is empty");
        }
        if (name.length() > NAME_MAX) {
            return Optional.of("key " + shown(key) + ": the name part " + tooLong(name, NAME_MAX));
        }
        return LABEL_VALUE.matcher(name).matches()
                ? Optional.empty()
                : Optional.of("key " + shown(key) + ": the name part must consist of letters, digits, '-', '_' and"
                        + " '.', starting and ending with a letter or digit");
    }

    /** Label values: empty, or at most 63 characters like a key's name part. */
    static Optional<String> labelValueProblem(String value) {
        if (value.length() > NAME_MAX) {
            return Optional.of(tooLong(value, NAME_MAX));
        }
        return LABEL_VALUE.matcher(value).matches()
                ? Optional.empty()
                : Optional.of("must be empty or consist of letters, digits, '-', '_' and '.', starting and ending with"
                        + " a letter or digit, got " + Problem.quote(value));
    }

    private static String tooLong(String s, int max) {
        return "is " + s.length() + " characters long, at most " + max + " are allowed";
    }

    /** A key as it appears in a message: quoted, cut when long (it may be 10,000 characters). */
    static String shown(String s) {
        return Problem.quote(s.length() <= 80 ? s : s.substring(0, 80) + "...");
    }
}
