package io.shoal.dispatcher;

import jakarta.inject.Scope;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;

/** Built once per agent's Session stream, by its {@link SessionComponent}. */
@Scope
@Documented
@Retention(RetentionPolicy.RUNTIME)
@interface SessionScope {}
