package dev.wasmorch.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasmorch.operator.reconcile.validate.SpecValidator;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 17's hostile specs against both layers: the generated CRD's schema and CEL rules (as the
 * API server would apply them, see {@link CrdSchema}; no API server runs here) and the operator's
 * own validator. Each must accept the valid cases and refuse the others, naming the field.
 */
class CrdSchemaTest {
    private static final CrdSchema SCHEMA = new CrdSchema();
    private static final SpecValidator VALIDATOR = new SpecValidator(WasmAppSpec.MAX_REPLICAS);

    static Stream<SpecCases.Case> cases() {
        return SpecCases.all().stream();
    }

    private static WasmAppSpec specOf(SpecCases.Case c) {
        WasmAppSpec spec = SpecCases.base();
        c.change().accept(spec);
        return spec;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theSchemaDecidesAsSpecified(SpecCases.Case c) {
        List<String> violations = SCHEMA.violations(specOf(c));
        if (c.refusedField() == null) {
            assertThat(violations).isEmpty();
        } else {
            assertThat(violations).isNotEmpty().allSatisfy(v -> assertThat(v).contains(c.refusedField()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theOperatorDecidesTheSame(SpecCases.Case c) {
        WasmApp app = new WasmApp();
        app.setMetadata(
                new ObjectMetaBuilder().withName("hello").withNamespace("ns").build());
        app.setSpec(specOf(c));
        List<String> problems = VALIDATOR.validate(app);
        if (c.refusedField() == null) {
            assertThat(problems).isEmpty();
        } else {
            assertThat(problems).isNotEmpty().allSatisfy(p -> assertThat(p).startsWith(c.refusedField() + ": "));
        }
    }
}
