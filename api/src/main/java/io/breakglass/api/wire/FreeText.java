package io.breakglass.api.wire;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Free text typed by a person (a reason, a comment): no control characters other than tab, line
 * feed and carriage return, the rule the workflow applies to hand-typed input too. A NUL would make
 * the audit row unwritable (PostgreSQL refuses it in text), and escape sequences have no place in a
 * timeline. Null is valid (combine with {@code @NotBlank}).
 */
@Documented
@Constraint(validatedBy = FreeText.Rule.class)
@Target({
  ElementType.FIELD,
  ElementType.PARAMETER,
  ElementType.METHOD,
  ElementType.RECORD_COMPONENT,
  ElementType.TYPE_USE
})
@Retention(RetentionPolicy.RUNTIME)
public @interface FreeText {

  String message() default "must not contain control characters other than tabs and line breaks";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};

  /** The check. */
  final class Rule implements ConstraintValidator<FreeText, String> {
    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
      return value == null || value.chars().noneMatch(Rule::refused);
    }

    static boolean refused(int c) {
      return Character.getType(c) == Character.CONTROL && c != '\t' && c != '\n' && c != '\r';
    }
  }
}
