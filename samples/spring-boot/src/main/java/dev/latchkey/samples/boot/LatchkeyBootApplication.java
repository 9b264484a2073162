package dev.latchkey.samples.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Runs the Spring Boot sample: {@code java -jar latchkey-spring-boot-sample.jar}. */
@SpringBootApplication
public class LatchkeyBootApplication {

    /** Starts the application. */
    public static void main(String[] args) {
        SpringApplication.run(LatchkeyBootApplication.class, args);
    }
}
