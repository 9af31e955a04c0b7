package dev.wasmorch.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.properties.PropertiesConfiguration;
import org.apache.logging.log4j.core.config.properties.PropertiesConfigurationFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console of {@code bin/wasmorch} (pipeline/conf/log4j2.properties, as pipeline/bin/cli-java
 * gives it to the CLI's JVM): wasmorch's progress lines, and none of Flink's chatter, including the
 * chatter of Flink classes the CLI subclasses in its own package.
 */
class ConsoleLoggingTest {

    private static PropertiesConfiguration console;

    @BeforeAll
    static void readTheShippedConfiguration() throws IOException {
        Path file = Path.of("conf", "log4j2.properties");
        try (InputStream in = Files.newInputStream(file)) {
            console = new PropertiesConfigurationFactory()
                    .getConfiguration(null, new ConfigurationSource(in, file.toFile()));
        }
        console.initialize(); // builds the logger tree without installing it in this JVM
    }

    @Test
    void wasmorchsProgressIsShown() {
        assertThat(level("dev.wasmorch.pipeline.source.LogLineReader")).isEqualTo(Level.INFO);
        assertThat(level(AnalysisRunner.class.getName())).isEqualTo(Level.INFO);
    }

    @Test
    void theRestEndpointsStartAndStopAreNot() {
        // Flink's endpoint logs under the runtime class, HeadlessRestEndpoint, which sits in wasmorch's package.
        assertThat(level(HeadlessRestEndpoint.class.getName())).isEqualTo(Level.ERROR);
        assertThat(level("org.apache.flink.runtime.webmonitor.WebMonitorEndpoint"))
                .isEqualTo(Level.ERROR);
    }

    @Test
    void flinksOwnLinesOnlyWhenSomethingFailed() {
        assertThat(level("org.apache.flink.runtime.minicluster.MiniCluster")).isEqualTo(Level.ERROR);
        assertThat(level("org.apache.pekko.actor.ActorSystem")).isEqualTo(Level.WARN);
    }

    private static Level level(String logger) {
        return console.getLoggerConfig(logger).getLevel();
    }
}
