package org.cymem4j.internal.jni;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.NoException;
import org.bytedeco.javacpp.annotation.Properties;

/** Binding of {@code jbridge_strided.h} (in progress). No logic here. */
@NoException
@Properties(inherit = NativeLib.class)
public final class NativeStrided {
    static {
        Loader.load();
    }

    private NativeStrided() {
    }
}
