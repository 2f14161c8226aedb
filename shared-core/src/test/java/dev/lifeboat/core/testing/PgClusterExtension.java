package dev.lifeboat.core.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects the JVM-wide {@link PgCluster#shared()} cluster into test constructors, lifecycle methods and
 * test methods: {@code @ExtendWith(PgClusterExtension.class)} and a {@code PgCluster} parameter. One
 * cluster serves the whole module run; it is stopped and deleted when the JVM exits.
 */
public final class PgClusterExtension implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
        return parameter.getParameter().getType() == PgCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
        return PgCluster.shared();
    }
}
