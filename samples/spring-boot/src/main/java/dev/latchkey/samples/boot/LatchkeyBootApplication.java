package dev.latchkey.samples.boot;

import dev.latchkey.samples.demo.ReportBook;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * Runs the Spring Boot sample: {@code java -jar latchkey-spring-boot-sample.jar}. Latchkey needs no code here: the
 * starter reads {@code latchkey.*} from {@code application.properties}.
 */
@SpringBootApplication
public class LatchkeyBootApplication {

    /** The demo's reports. */
    @Bean
    ReportBook reportBook() {
        return new ReportBook();
    }

    /** Starts the application. */
    public static void main(String[] args) {
        SpringApplication.run(LatchkeyBootApplication.class, args);
    }
}
