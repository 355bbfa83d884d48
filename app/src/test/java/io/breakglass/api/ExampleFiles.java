package io.breakglass.api;

import io.dropwizard.configuration.DefaultConfigurationFactoryFactory;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.nio.file.Path;
import java.util.Map;
import org.apache.commons.text.StringSubstitutor;

/** Loads a YAML file as the jar does: {@code ${VAR}} from {@code environment}, then validation. */
final class ExampleFiles {

  private ExampleFiles() {}

  static <T> T load(Class<T> type, Path file, Map<String, String> environment) throws Exception {
    // The jar's factory: it also makes an unknown field an error, naming it.
    return new DefaultConfigurationFactoryFactory<T>()
        .create(type, Validators.newValidator(), Jackson.newObjectMapper(), "dw")
        .build(
            new SubstitutingSourceProvider(
                new FileConfigurationSourceProvider(), new StringSubstitutor(environment)),
            file.toString());
  }
}
