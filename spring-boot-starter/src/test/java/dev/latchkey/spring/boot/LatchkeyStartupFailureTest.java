package dev.latchkey.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.spring.boot.apps.DefaultChainApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Tests that an application with a bad {@code latchkey.*} value does not start, and says which property and why. */
@ExtendWith(OutputCaptureExtension.class)
class LatchkeyStartupFailureTest {

    @Test
    void badDuration_stopsTheApplication_namingThePropertyAsWritten(CapturedOutput output) {
        assertThatThrownBy(() -> new SpringApplicationBuilder(DefaultChainApp.class)
                .run("--server.port=0", "--latchkey.cache.ttl=-5s", "--spring.main.banner-mode=off"))
                .rootCause()
                .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessage("Property latchkey.cache.ttl with value '-5s' is invalid: must be positive");

        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Invalid value '-5s' for configuration property 'latchkey.cache.ttl'")
                .contains("must be positive");
    }

    @Test
    void badRouteRule_stopsTheApplication_namingTheProperty(CapturedOutput output) {
        assertThatThrownBy(() -> new SpringApplicationBuilder(DefaultChainApp.class)
                .run("--server.port=0", "--latchkey.scopes=GET", "--spring.main.banner-mode=off"))
                .rootCause()
                .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessage("Property latchkey.scopes with value 'GET' is invalid:"
                        + " rule 'GET' needs a method and a path");

        assertThat(output).contains("configuration property 'latchkey.scopes'");
    }

    @Test
    void badOnStoreError_stopsTheApplication_namingTheProperty(CapturedOutput output) {
        assertThatThrownBy(() -> new SpringApplicationBuilder(DefaultChainApp.class)
                .run("--server.port=0", "--latchkey.rate-limit.on-store-error=sometimes",
                        "--spring.main.banner-mode=off"))
                .rootCause()
                .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessage("Property latchkey.rate-limit.on-store-error with value 'sometimes' is invalid:"
                        + " must be local, open or closed");

        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Invalid value 'sometimes' for configuration property 'latchkey.rate-limit.on-store-error'");
    }
}
