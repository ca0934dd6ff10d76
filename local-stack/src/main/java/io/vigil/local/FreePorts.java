package io.vigil.local;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Distinct free ports for processes that must be told their port before they bind it. All are held
 * open until the last is picked, so two picks can never be the same port; another process may still
 * take one before its owner binds it, which the owner then reports as "address in use".
 */
public final class FreePorts {

    private FreePorts() {}

    public static int[] pick(int count) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0);
                held.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : held) {
                socket.close();
            }
        }
    }
}
