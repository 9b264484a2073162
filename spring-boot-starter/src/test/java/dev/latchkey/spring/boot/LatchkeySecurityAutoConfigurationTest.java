package dev.latchkey.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.spring.boot.apps.DefaultChainApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/** Tests for {@link LatchkeySecurityAutoConfiguration}: the default chain, and the warning for a chain without keys. */
@ExtendWith(OutputCaptureExtension.class)
class LatchkeySecurityAutoConfigurationTest {

    @Test
    void defaultChain_appliesLatchkey_quietly(CapturedOutput output) {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(DefaultChainApp.class)
                .run("--server.port=0", "--spring.main.banner-mode=off")) {
            assertThat(app.getBean("latchkeySecurityFilterChain", SecurityFilterChain.class).getFilters())
                    .anyMatch(LatchkeyAuthenticationFilter.class::isInstance);
        }
        assertThat(output).doesNotContain("no SecurityFilterChain applies Latchkey");
    }

    @Test
    void ownChainWithoutLatchkey_isWarnedAbout(CapturedOutput output) {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(ChainWithoutKeys.class)
                .run("--server.port=0", "--spring.main.banner-mode=off")) {
            assertThat(app.containsBean("latchkeySecurityFilterChain")).as("the user's chain wins").isFalse();
        }
        assertThat(output).contains("no SecurityFilterChain applies Latchkey")
                .contains(".with(LatchkeyHttpConfigurer.latchkey(), Customizer.withDefaults())");
    }

    @Import(DefaultChainApp.class)
    static class ChainWithoutKeys {
        @Bean
        SecurityFilterChain mine(HttpSecurity http) throws Exception {
            return http.authorizeHttpRequests(a -> a.anyRequest().permitAll()).build();
        }
    }
}
