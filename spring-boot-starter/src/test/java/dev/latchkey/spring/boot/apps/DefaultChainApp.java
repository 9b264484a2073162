package dev.latchkey.spring.boot.apps;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/** An application with Spring Security and no chain of its own: the starter's chain protects it. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(ApiController.class)
public class DefaultChainApp {
}
