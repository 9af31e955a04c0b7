package dev.wasmorch.operator.crd;

import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The generated CRD's checks of {@code spec} applied the way the API server applies them: required
 * fields, maxLength (in characters), pattern, minimum/maximum, maxProperties, additionalProperties'
 * maxLength, and the {@code x-kubernetes-validations} CEL rules (evaluated with cel-java; a rule on a
 * field runs only when the field is set). There is no API server here, so this stands in for one;
 * what it cannot tell is the server's CEL cost estimate, which bounds (maxLength, maxProperties)
 * keep low.
 */
final class CrdSchema {
    static final String CRD = "/META-INF/fabric8/wasmapps.wasmorch.dev-v1.yml";

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("self", SimpleType.DYN)
            .build();
    private static final CelRuntime RUNTIME =
            CelRuntimeFactory.standardCelRuntimeBuilder().build();

    private final JSONSchemaProps spec;

    CrdSchema() {
        try (InputStream in = CrdSchema.class.getResourceAsStream(CRD)) {
            CustomResourceDefinition crd = SERIALIZATION.unmarshal(in, CustomResourceDefinition.class);
            spec = crd.getSpec()
                    .getVersions()
                    .get(0)
                    .getSchema()
                    .getOpenAPIV3Schema()
                    .getProperties()
                    .get("spec");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JSONSchemaProps spec() {
        return spec;
    }

    /** What the API server would refuse in this spec (serialized as the client sends it), as messages. */
    @SuppressWarnings("unchecked")
    List<String> violations(WasmAppSpec value) {
        Map<String, Object> object = SERIALIZATION.convertValue(value, Map.class);
        List<String> violations = new ArrayList<>();
        for (String required : spec.getRequired()) {
            if (!object.containsKey(required)) {
                violations.add("spec." + required + ": Required value");
            }
        }
        object.forEach((field, fieldValue) -> {
            JSONSchemaProps property = spec.getProperties().get(field);
            if (property != null && fieldValue != null) {
                check("spec." + field, property, fieldValue, violations);
            }
        });
        rules("spec", spec, object, violations);
        return violations;
    }

    @SuppressWarnings("unchecked")
    private static void check(String path, JSONSchemaProps schema, Object value, List<String> violations) {
        if (value instanceof String s) {
            int length = s.codePointCount(0, s.length());
            if (schema.getMaxLength() != null && length > schema.getMaxLength()) {
                violations.add(path + ": Too long: may not be more than " + schema.getMaxLength());
            } else if (schema.getPattern() != null
                    && !Pattern.compile(schema.getPattern()).matcher(s).find()) {
                violations.add(path + ": should match '" + schema.getPattern() + "'");
            }
        } else if (value instanceof Number n) {
            if (schema.getMaximum() != null && n.doubleValue() > schema.getMaximum()) {
                violations.add(path + ": should be less than or equal to " + schema.getMaximum());
            }
            if (schema.getMinimum() != null && n.doubleValue() < schema.getMinimum()) {
                violations.add(path + ": should be greater than or equal to " + schema.getMinimum());
            }
        } else if (value instanceof Map<?, ?> map) {
            if (schema.getMaxProperties() != null && map.size() > schema.getMaxProperties()) {
                violations.add(path + ": Too many: may not have more than " + schema.getMaxProperties() + " items");
            }
            if (schema.getAdditionalProperties() != null
                    && schema.getAdditionalProperties().getSchema() != null) {
                ((Map<String, Object>) map)
                        .forEach((k, v) -> check(
                                path + "[" + k + "]",
                                schema.getAdditionalProperties().getSchema(),
                                v,
                                violations));
            }
        }
        rules(path, schema, value, violations);
    }

    private static void rules(String path, JSONSchemaProps schema, Object self, List<String> violations) {
        if (schema.getXKubernetesValidations() == null) {
            return;
        }
        for (ValidationRule rule : schema.getXKubernetesValidations()) {
            Object result;
            try {
                result = RUNTIME.createProgram(COMPILER.compile(rule.getRule()).getAst())
                        .eval(Map.of("self", self));
            } catch (Exception e) {
                throw new IllegalStateException(path + ": rule " + rule.getRule() + " fails: " + e.getMessage(), e);
            }
            if (!Boolean.TRUE.equals(result)) {
                violations.add(path + ": Invalid value: " + rule.getMessage());
            }
        }
    }
}
