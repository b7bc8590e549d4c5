<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES">
<context>
    <name></name>
    <message>
        <location filename="../../godmode_desktop/messages.py" line="21"/>
        <source>Wrong user name or password.</source>
        <translation>Usuario o contraseña incorrectos.</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/messages.py" line="23"/>
        <source>Your session has expired. Please log in again.</source>
        <translation>Su sesión ha caducado. Inicie sesión de nuevo.</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/messages.py" line="25"/>
        <source>Cannot reach the server at %1. Check the address and your connection.</source>
        <translation>No se puede conectar con el servidor %1. Revise la dirección y su conexión.</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/messages.py" line="30"/>
        <source>The secure connection to %1 failed. Check the address and the server&apos;s certificate.</source>
        <translation>Falló la conexión segura con %1. Revise la dirección y el certificado del servidor.</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/messages.py" line="33"/>
        <source>The server had a problem (HTTP %1). Try again later.</source>
        <translation>El servidor tuvo un problema (HTTP %1). Inténtelo más tarde.</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/messages.py" line="38"/>
        <source>The server at %1 does not answer like a God Mode server. Check the address.</source>
        <translation>El servidor %1 no responde como un servidor de God Mode. Revise la dirección.</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/alert_banner.py" line="20"/>
        <location filename="../../godmode_desktop/widgets/alert_banner.py" line="35"/>
        <location filename="../../godmode_desktop/widgets/alert_banner.py" line="51"/>
        <source>Tip</source>
        <extracomment>The default tiers&apos; labels, so that translators see them; a label typed in the settings is shown as typed (or translated, if it happens to be one of these).
----------
Rooms a summary names before &quot;and N more&quot;. Alerts that are bad news: never shown in the colour of good news.</extracomment>
        <translation>Propina</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/alert_banner.py" line="21"/>
        <location filename="../../godmode_desktop/widgets/alert_banner.py" line="35"/>
        <source>Big tip</source>
        <translation>Propina grande</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/alert_banner.py" line="22"/>
        <location filename="../../godmode_desktop/widgets/alert_banner.py" line="35"/>
        <source>Huge tip</source>
        <translation>Propina enorme</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/alert_banner.py" line="53"/>
        <source>%1 rooms off line</source>
        <translation>%1 salas desconectadas</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/alert_banner.py" line="55"/>
        <source>%1 tips</source>
        <translation>%1 propinas</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/alert_banner.py" line="56"/>
        <source>Off line</source>
        <translation>Desconectada</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/alert_banner.py" line="57"/>
        <source>Back on line</source>
        <translation>De nuevo en línea</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/alert_banner.py" line="58"/>
        <source>Audience drop</source>
        <translation>Caída de audiencia</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/alert_banner.py" line="59"/>
        <source>Goal reached</source>
        <translation>Meta alcanzada</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/alert_banner.py" line="60"/>
        <source>Collector silent</source>
        <translation>Colector en silencio</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/alert_banner.py" line="61"/>
        <source>Collector back</source>
        <translation>Colector de vuelta</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/alert_banner.py" line="68"/>
        <source>Test alert: this is how a tip of %1 tokens looks.</source>
        <translation>Alerta de prueba: así se ve una propina de %1 tokens.</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/alert_banner.py" line="73"/>
        <source>%1 tokens: %2</source>
        <translation>%1 tokens: %2</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/alert_banner.py" line="75"/>
        <source>%1: no new samples</source>
        <translation>%1: sin muestras nuevas</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/alert_banner.py" line="82"/>
        <source>Key %1 has posted nothing since %2</source>
        <translation>La clave %1 no envía nada desde las %2</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/alert_banner.py" line="89"/>
        <source>%1: 1 room off line, nothing posted since %2</source>
        <translation>%1: 1 sala desconectada, nada enviado desde las %2</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/alert_banner.py" line="91"/>
        <source>%1: %3 rooms off line, nothing posted since %2</source>
        <translation>%1: %3 salas desconectadas, nada enviado desde las %2</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/alert_banner.py" line="78"/>
        <source>%1: no sample for %2 min</source>
        <translation>%1: sin muestras desde hace %2 min</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/alert_banner.py" line="99"/>
        <source>Key %1 posts again</source>
        <translation>La clave %1 vuelve a enviar</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/alert_banner.py" line="102"/>
        <source>%1 rooms are sending again: %2</source>
        <translation>%1 salas vuelven a enviar: %2</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/alert_banner.py" line="107"/>
        <source>%1 is sending again</source>
        <translation>%1 vuelve a enviar</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/alert_banner.py" line="112"/>
        <source>%1: viewers %2 → %3 (−%4 %)</source>
        <translation>%1: espectadores %2 → %3 (−%4 %)</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/alert_banner.py" line="120"/>
        <source>%1 earned %2 tokens this broadcast (goal %3)</source>
        <translation>%1 ganó %2 tokens en esta emisión (meta %3)</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/alert_banner.py" line="126"/>
        <source>%1 tokens in %2 (%3)</source>
        <translation>%1 tokens en %2 (%3)</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/alert_banner.py" line="141"/>
        <source>%1 and %2 more</source>
        <translation>%1 y %2 más</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/alert_banner.py" line="199"/>
        <source>Show/Hide window</source>
        <translation>Mostrar/ocultar ventana</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/alert_banner.py" line="202"/>
        <source>Quit</source>
        <translation>Salir</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/alert_banner.py" line="210"/>
        <source>God Mode — unread alerts: %1</source>
        <translation>God Mode — alertas sin leer: %1</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/login_dialog.py" line="31"/>
        <source>God Mode — log in</source>
        <extracomment>The server field is wide enough for an address of this many characters, and for the one it holds (up to twice as many). server URL, user name, password</extracomment>
        <translation>God Mode — iniciar sesión</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/about_dialog.py" line="24"/>
        <location filename="../../godmode_desktop/widgets/login_dialog.py" line="51"/>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="115"/>
        <source>Server</source>
        <translation>Servidor</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_keys_tab.py" line="34"/>
        <source>no report</source>
        <translation>sin informe</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_keys_tab.py" line="36"/>
        <source>{version}, reported {age}</source>
        <translation>{version}, informó {age}</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_keys_tab.py" line="40"/>
        <source> (set by policy)</source>
        <translation> (por directiva)</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_keys_tab.py" line="42"/>
        <source>{platform} {field} {kind} ×{count}</source>
        <translation>{platform} {field} {kind} ×{count}</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_keys_tab.py" line="24"/>
        <source>missing</source>
        <translation>no encontrado</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_keys_tab.py" line="25"/>
        <source>malformed</source>
        <translation>ilegible</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_keys_tab.py" line="26"/>
        <source>read two ways that disagree</source>
        <translation>leído de dos maneras que no coinciden</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_keys_tab.py" line="51"/>
        <source>{count} posts refused</source>
        <translation>{count} envíos rechazados</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_keys_tab.py" line="53"/>
        <source>{count} waiting</source>
        <translation>{count} en espera</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_keys_tab.py" line="58"/>
        <source>none</source>
        <translation>ninguno</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_dialogs.py" line="29"/>
        <source>Add user</source>
        <extracomment>The roles an admin can give, as the server names them.</extracomment>
        <translation>Añadir usuario</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_dialogs.py" line="43"/>
        <source>User name</source>
        <translation>Nombre de usuario</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_dialogs.py" line="45"/>
        <location filename="../../godmode_desktop/widgets/admin_users_tab.py" line="66"/>
        <location filename="../../godmode_desktop/widgets/admin_users_tab.py" line="86"/>
        <source>Role</source>
        <translation>Rol</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_dialogs.py" line="54"/>
        <source>Key {0}</source>
        <translation>Clave {0}</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_dialogs.py" line="57"/>
        <source>The new key</source>
        <translation>La clave nueva</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_dialogs.py" line="63"/>
        <source>Copy</source>
        <translation>Copiar</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_dialogs.py" line="66"/>
        <source>This key is shown once: copy it into the collector now. It cannot be shown again.</source>
        <translation>Esta clave se muestra una sola vez: cópiela ahora en el recolector. No podrá volver a verse.</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_window.py" line="48"/>
        <source>God Mode — Administration</source>
        <translation>God Mode — Administración</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_window.py" line="61"/>
        <source>Reading rules</source>
        <translation>Reglas de lectura</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_window.py" line="62"/>
        <source>Rates</source>
        <translation>Tarifas</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_window.py" line="65"/>
        <source>Re&amp;fresh</source>
        <translation>Act&amp;ualizar</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/about_dialog.py" line="25"/>
        <location filename="../../godmode_desktop/widgets/admin_users_tab.py" line="66"/>
        <location filename="../../godmode_desktop/widgets/login_dialog.py" line="52"/>
        <source>User</source>
        <extracomment>The users table&apos;s rooms column. name, password, role name, what changed ({&quot;role&quot;: …, &quot;disabled&quot;: …, &quot;reports&quot;: …}: only what differs), the rooms to set ([(room_id, platform), …]; None when they did not change) name, new password What cannot be sent as typed (the window&apos;s status line says it). A user asked to be added: selected when the list that has them arrives.</extracomment>
        <translation>Usuario</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_users_tab.py" line="66"/>
        <source>Reports</source>
        <translation>Informes</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_keys_tab.py" line="86"/>
        <location filename="../../godmode_desktop/widgets/admin_users_tab.py" line="66"/>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_keys_tab.py" line="89"/>
        <location filename="../../godmode_desktop/widgets/admin_users_tab.py" line="66"/>
        <location filename="../../godmode_desktop/widgets/admin_users_tab.py" line="75"/>
        <location filename="../../godmode_desktop/widgets/main_window.py" line="146"/>
        <source>Rooms</source>
        <translation>Salas</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_users_tab.py" line="67"/>
        <location filename="../../godmode_desktop/widgets/admin_window.py" line="59"/>
        <source>Users</source>
        <translation>Usuarios</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_users_tab.py" line="71"/>
        <source>Reports open</source>
        <translation>Informes abiertos</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_users_tab.py" line="72"/>
        <source>Disabled</source>
        <translation>Desactivado</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_users_tab.py" line="74"/>
        <source>One room per line: ROOM@PLATFORM</source>
        <translation>Una sala por línea: SALA@PLATAFORMA</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_users_tab.py" line="77"/>
        <source>Rooms the server knows</source>
        <translation>Salas que conoce el servidor</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_users_tab.py" line="78"/>
        <source>A&amp;dd room</source>
        <translation>Añadir &amp;sala</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_users_tab.py" line="79"/>
        <source>A&amp;pply</source>
        <translation>A&amp;plicar</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_users_tab.py" line="80"/>
        <source>&amp;Add user…</source>
        <translation>&amp;Añadir usuario…</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_users_tab.py" line="81"/>
        <source>Re&amp;set password…</source>
        <translation>&amp;Restablecer la contraseña…</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_users_tab.py" line="82"/>
        <source>De&amp;lete user</source>
        <translation>&amp;Eliminar usuario</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_users_tab.py" line="89"/>
        <source>&amp;Rooms (monitors)</source>
        <translation>Sa&amp;las (monitores)</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_users_tab.py" line="236"/>
        <source>Delete user</source>
        <translation>Eliminar usuario</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_users_tab.py" line="101"/>
        <source>Select a user to change their role, reports and rooms.</source>
        <translation>Seleccione un usuario para cambiar su rol, sus informes y sus salas.</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_keys_tab.py" line="85"/>
        <source>Key</source>
        <translation>Clave</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_keys_tab.py" line="87"/>
        <source>Last post</source>
        <translation>Último envío</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_keys_tab.py" line="88"/>
        <source>Silent for</source>
        <translation>En silencio desde hace</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_keys_tab.py" line="90"/>
        <source>Collector</source>
        <translation>Colector</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_keys_tab.py" line="91"/>
        <source>Problems</source>
        <translation>Problemas</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_keys_tab.py" line="92"/>
        <source>Read by</source>
        <translation>Leído con</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_keys_tab.py" line="95"/>
        <source>Ingest keys</source>
        <translation>Claves de envío</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_window.py" line="60"/>
        <source>Keys and collectors</source>
        <translation>Claves y recolectores</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_users_tab.py" line="132"/>
        <source>yes</source>
        <translation>sí</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_users_tab.py" line="132"/>
        <source>no</source>
        <translation>no</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/admin_presenter.py" line="39"/>
        <location filename="../../godmode_desktop/widgets/admin_users_tab.py" line="133"/>
        <source>disabled</source>
        <translation>desactivado</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/admin_presenter.py" line="39"/>
        <location filename="../../godmode_desktop/widgets/admin_users_tab.py" line="133"/>
        <source>enabled</source>
        <translation>activo</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_keys_tab.py" line="69"/>
        <source>revoked</source>
        <translation>revocada</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_keys_tab.py" line="70"/>
        <source>active</source>
        <translation>activa</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_keys_tab.py" line="70"/>
        <source>silent</source>
        <translation>en silencio</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_keys_tab.py" line="96"/>
        <source>&amp;Create key…</source>
        <translation>&amp;Crear clave…</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_keys_tab.py" line="97"/>
        <source>Re&amp;voke key</source>
        <translation>Re&amp;vocar clave</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_keys_tab.py" line="120"/>
        <source>never</source>
        <translation>nunca</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_window.py" line="114"/>
        <source>The server refused: {0}</source>
        <translation>El servidor lo rechazó: {0}</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_users_tab.py" line="191"/>
        <source>not ROOM@PLATFORM: {0}</source>
        <translation>no es SALA@PLATAFORMA: {0}</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_users_tab.py" line="204"/>
        <source>Nothing to change for {0}</source>
        <translation>Nada que cambiar para {0}</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_users_tab.py" line="224"/>
        <source>Reset password</source>
        <translation>Restablecer la contraseña</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_users_tab.py" line="225"/>
        <source>New password for {0} (their sessions end):</source>
        <translation>Contraseña nueva para {0} (sus sesiones terminan):</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_users_tab.py" line="236"/>
        <source>Delete {0}? Their sessions end.</source>
        <translation>¿Eliminar a {0}? Sus sesiones terminan.</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_keys_tab.py" line="144"/>
        <source>Create key</source>
        <translation>Crear clave</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_keys_tab.py" line="144"/>
        <source>Name of the key (e.g. the PC it goes on):</source>
        <translation>Nombre de la clave (p. ej. el PC donde va):</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_dialogs.py" line="44"/>
        <location filename="../../godmode_desktop/widgets/login_dialog.py" line="53"/>
        <source>Password</source>
        <translation>Contraseña</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/login_dialog.py" line="57"/>
        <source>Log in</source>
        <translation>Entrar</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/login_dialog.py" line="72"/>
        <source>Fill in the server, the user and the password.</source>
        <translation>Escriba el servidor, el usuario y la contraseña.</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/main_window.py" line="119"/>
        <source>Filter rooms…</source>
        <extracomment>Row densities: the space above and below a row&apos;s text, in pixels. Compact fits 40 rooms on a 1366×768 laptop at the system&apos;s usual text size. The chart is not shown beside the grid when it would get fewer average characters than this (the grid keeps the width its columns need first). A text column (room, platform) is this many average characters wide before rows arrive. The window&apos;s preferred size, in average characters and text lines (see placement.py). The window&apos;s close button: the app quits, or keeps running in the tray. A room&apos;s alerts muted or not (RoomKey, bool); its goal set (RoomKey, tokens; 0: none). The user changed the rows&apos; density (&quot;comfortable&quot; or &quot;compact&quot;) from the View menu. The user showed or hid the chart from the View menu. The user chose money (True) or tokens in the grid, from the View menu. The user asked for larger (+1), smaller (-1) or the default (0) text size.</extracomment>
        <translation>Filtrar salas…</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/main_window.py" line="126"/>
        <source>Filter rooms</source>
        <translation>Filtrar salas</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/main_window.py" line="138"/>
        <source>All platforms</source>
        <translation>Todas las plataformas</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/main_window.py" line="210"/>
        <source>Mute alerts</source>
        <extracomment>What the room menu shows as set (the app keeps them in step with the settings). Whether the splitter&apos;s sizes were set (restored or shared out on the first show).</extracomment>
        <translation>Silenciar alertas</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/main_window.py" line="212"/>
        <source>&amp;Compact rows</source>
        <translation>Filas &amp;compactas</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/main_window.py" line="218"/>
        <source>Show the c&amp;hart</source>
        <translation>Mostrar el &amp;gráfico</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/main_window.py" line="223"/>
        <location filename="../../godmode_desktop/widgets/reports_window.py" line="115"/>
        <source>Show &amp;money</source>
        <translation>Mostrar &amp;dinero</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/main_window.py" line="227"/>
        <source>This shift, Today and the totals in US dollars at the studio&apos;s payout rates</source>
        <translation>Este turno, Hoy y los totales en dólares estadounidenses con las tarifas de pago del estudio</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/main_window.py" line="243"/>
        <source>&amp;God Mode</source>
        <translation>&amp;God Mode</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/main_window.py" line="244"/>
        <source>&amp;Settings…</source>
        <translation>&amp;Ajustes…</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/main_window.py" line="247"/>
        <source>&amp;Export grid as CSV…</source>
        <translation>&amp;Exportar la tabla a CSV…</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/main_window.py" line="248"/>
        <source>&amp;Log out</source>
        <translation>&amp;Cerrar sesión</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/main_window.py" line="250"/>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/main_window.py" line="253"/>
        <source>A&amp;ccount</source>
        <translation>&amp;Cuenta</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/main_window.py" line="254"/>
        <source>Change &amp;password…</source>
        <translation>Cambiar la &amp;contraseña…</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/main_window.py" line="256"/>
        <source>&amp;Administration…</source>
        <translation>&amp;Administración…</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/main_window.py" line="259"/>
        <source>&amp;View</source>
        <translation>&amp;Ver</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/main_window.py" line="260"/>
        <source>&amp;Filter rooms</source>
        <translation>&amp;Filtrar salas</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/main_window.py" line="262"/>
        <source>&amp;Clear filter</source>
        <translation>&amp;Borrar filtro</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/main_window.py" line="266"/>
        <source>C&amp;olumns</source>
        <translation>C&amp;olumnas</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/main_window.py" line="270"/>
        <source>&amp;Text size</source>
        <translation>Tamaño del &amp;texto</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/main_window.py" line="272"/>
        <source>&amp;Larger</source>
        <translation>&amp;Más grande</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/main_window.py" line="273"/>
        <source>&amp;Smaller</source>
        <translation>Más &amp;pequeño</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/main_window.py" line="274"/>
        <source>&amp;Default</source>
        <translation>&amp;Predeterminado</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/main_window.py" line="279"/>
        <source>&amp;Reports…</source>
        <translation>&amp;Informes…</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/main_window.py" line="281"/>
        <source>&amp;Alerts</source>
        <translation>&amp;Alertas</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/main_window.py" line="284"/>
        <source>Send &amp;test alert</source>
        <translation>Enviar alerta de &amp;prueba</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/main_window.py" line="285"/>
        <source>&amp;Connection</source>
        <translation>&amp;Conexión</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/main_window.py" line="286"/>
        <source>&amp;Reconnect now</source>
        <translation>&amp;Reconectar ahora</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/main_window.py" line="288"/>
        <source>&amp;Help</source>
        <translation>&amp;Ayuda</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/main_window.py" line="289"/>
        <source>&amp;About God Mode</source>
        <translation>&amp;Acerca de God Mode</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/main_window.py" line="331"/>
        <location filename="../../godmode_desktop/widgets/main_window.py" line="338"/>
        <source>Export grid as CSV</source>
        <translation>Exportar la tabla a CSV</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/main_window.py" line="348"/>
        <source>Reports are not open to your account</source>
        <translation>Los informes no están abiertos a su cuenta</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/main_window.py" line="376"/>
        <source>Shown: shift %1 · today %2 · viewers %3 · live %4</source>
        <translation>Mostradas: turno %1 · hoy %2 · espectadores %3 · en vivo %4</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/main_window.py" line="378"/>
        <source>Shift %1 · Today %2 · Viewers %3 · Live %4</source>
        <translation>Turno %1 · Hoy %2 · Espectadores %3 · En vivo %4</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/main_window.py" line="597"/>
        <source>Alerts &amp;panel</source>
        <translation>&amp;Panel de alertas</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/main_window.py" line="621"/>
        <source>God Mode (unread alerts: %1)</source>
        <translation>God Mode (alertas sin leer: %1)</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/main_window.py" line="627"/>
        <source>rooms: %1</source>
        <translation>salas: %1</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/main_window.py" line="637"/>
        <source>&amp;Mute this room&apos;s alerts</source>
        <translation>&amp;Silenciar las alertas de esta sala</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/main_window.py" line="642"/>
        <source>Set &amp;goal…</source>
        <translation>Fijar &amp;meta…</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/main_window.py" line="642"/>
        <source>&amp;Goal: %1 tokens…</source>
        <translation>&amp;Meta: %1 tokens…</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/main_window.py" line="654"/>
        <source>Goal</source>
        <translation>Meta</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/main_window.py" line="655"/>
        <source>Tokens %1 should earn in a broadcast (0: no goal):</source>
        <translation>Tokens que %1 debería ganar en una emisión (0: sin meta):</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/room_chart.py" line="43"/>
        <source>1 h</source>
        <extracomment>Points kept per curve; older ones scroll out as live updates extend the chart. Points asked of the server for a range: about one per pixel column of a wide chart.</extracomment>
        <translation>1 h</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/room_chart.py" line="43"/>
        <source>24 h</source>
        <translation>24 h</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/room_chart.py" line="43"/>
        <source>7 d</source>
        <translation>7 d</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/room_chart.py" line="43"/>
        <source>30 d</source>
        <translation>30 d</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/room_chart.py" line="51"/>
        <location filename="../../godmode_desktop/widgets/room_chart.py" line="87"/>
        <source>Chart range</source>
        <extracomment>The user chose another range: the shown room&apos;s history must be asked for again. The live range shown, in seconds back from now, or None for :attr:`fixed`. Fixed dates shown (start, end), when not live.</extracomment>
        <translation>Intervalo del gráfico</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_audit_tab.py" line="24"/>
        <source>Any time</source>
        <extracomment>The details column, and how much of a detail its tool tip shows.</extracomment>
        <translation>Cualquier momento</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_audit_tab.py" line="25"/>
        <source>Last 24 hours</source>
        <translation>Últimas 24 horas</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_audit_tab.py" line="26"/>
        <source>Last 7 days</source>
        <translation>Últimos 7 días</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_audit_tab.py" line="27"/>
        <source>Last 30 days</source>
        <translation>Últimos 30 días</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_audit_tab.py" line="40"/>
        <location filename="../../godmode_desktop/widgets/admin_audit_tab.py" line="48"/>
        <location filename="../../godmode_desktop/widgets/admin_audit_tab.py" line="57"/>
        <source>Who</source>
        <translation>Quién</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_audit_tab.py" line="42"/>
        <location filename="../../godmode_desktop/widgets/admin_audit_tab.py" line="48"/>
        <location filename="../../godmode_desktop/widgets/admin_audit_tab.py" line="58"/>
        <source>What</source>
        <translation>Qué</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_audit_tab.py" line="44"/>
        <location filename="../../godmode_desktop/widgets/admin_audit_tab.py" line="48"/>
        <location filename="../../godmode_desktop/widgets/admin_audit_tab.py" line="59"/>
        <source>When</source>
        <translation>Cuándo</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_audit_tab.py" line="48"/>
        <location filename="../../godmode_desktop/widgets/admin_rates_tab.py" line="43"/>
        <location filename="../../godmode_desktop/widgets/admin_rates_tab.py" line="76"/>
        <location filename="../../godmode_desktop/widgets/admin_rates_tab.py" line="80"/>
        <location filename="../../godmode_desktop/widgets/room_chart.py" line="57"/>
        <location filename="../../godmode_desktop/widgets/room_chart.py" line="60"/>
        <source>From</source>
        <translation>Desde</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_audit_tab.py" line="48"/>
        <source>To whom</source>
        <translation>A quién</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_audit_tab.py" line="50"/>
        <location filename="../../godmode_desktop/widgets/admin_window.py" line="64"/>
        <source>Audit log</source>
        <translation>Registro de auditoría</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_audit_tab.py" line="82"/>
        <source>Anyone</source>
        <translation>Cualquiera</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_audit_tab.py" line="82"/>
        <source>Anything</source>
        <translation>Cualquier acción</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_audit_tab.py" line="122"/>
        <source>%1 of %2 entries</source>
        <translation>%1 de %2 entradas</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/room_chart.py" line="58"/>
        <location filename="../../godmode_desktop/widgets/room_chart.py" line="61"/>
        <source>To</source>
        <translation>Hasta</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/room_chart.py" line="90"/>
        <source>Custom…</source>
        <translation>Personalizado…</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/room_chart.py" line="98"/>
        <source>Select a room to see its history</source>
        <translation>Seleccione una sala para ver su historial</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/reports_model.py" line="43"/>
        <location filename="../../godmode_desktop/widgets/reports_window.py" line="156"/>
        <location filename="../../godmode_desktop/widgets/reports_window.py" line="363"/>
        <location filename="../../godmode_desktop/widgets/room_chart.py" line="103"/>
        <source>Tokens</source>
        <translation>Tokens</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/room_chart.py" line="105"/>
        <location filename="../../godmode_desktop/widgets/rooms_columns.py" line="114"/>
        <source>Viewers</source>
        <translation>Espectadores</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_rates_tab.py" line="45"/>
        <source>Unticked: the rate applies to every day before the next dated one.</source>
        <translation>Sin marcar: la tarifa vale para todos los días anteriores a la siguiente con fecha.</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_rates_tab.py" line="76"/>
        <location filename="../../godmode_desktop/widgets/admin_rates_tab.py" line="95"/>
        <location filename="../../godmode_desktop/widgets/alerts_model.py" line="33"/>
        <location filename="../../godmode_desktop/widgets/rooms_columns.py" line="67"/>
        <source>Room</source>
        <translation>Sala</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_rates_tab.py" line="76"/>
        <location filename="../../godmode_desktop/widgets/admin_rates_tab.py" line="96"/>
        <location filename="../../godmode_desktop/widgets/admin_rates_tab.py" line="174"/>
        <source>USD per token</source>
        <translation>USD por token</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_rates_tab.py" line="76"/>
        <location filename="../../godmode_desktop/widgets/admin_rates_tab.py" line="80"/>
        <source>Set by</source>
        <translation>Fijada por</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_rates_tab.py" line="78"/>
        <source>Payout rates</source>
        <translation>Tarifas de pago</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_rates_tab.py" line="80"/>
        <location filename="../../godmode_desktop/widgets/admin_rates_tab.py" line="109"/>
        <source>Currency</source>
        <translation>Moneda</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_rates_tab.py" line="80"/>
        <location filename="../../godmode_desktop/widgets/admin_rates_tab.py" line="110"/>
        <location filename="../../godmode_desktop/widgets/admin_rates_tab.py" line="189"/>
        <source>Per US dollar</source>
        <translation>Por dólar</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_rates_tab.py" line="82"/>
        <source>Exchange rates</source>
        <translation>Tipos de cambio</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_rates_tab.py" line="88"/>
        <source>every room of the platform</source>
        <translation>todas las salas de la plataforma</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_rates_tab.py" line="92"/>
        <source>&amp;Set rate</source>
        <translation>&amp;Fijar tarifa</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_rates_tab.py" line="99"/>
        <source>What a token pays</source>
        <translation>Lo que paga un token</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_rates_tab.py" line="107"/>
        <source>Set e&amp;xchange rate</source>
        <translation>Fijar tipo de &amp;cambio</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_rates_tab.py" line="113"/>
        <source>The studio&apos;s currency</source>
        <translation>La moneda del estudio</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_rates_tab.py" line="136"/>
        <source>The studio&apos;s currency: {0}. Each token is paid at the rates of the day it was earned; a room&apos;s own rate wins over its platform&apos;s.</source>
        <translation>La moneda del estudio: {0}. Cada token se paga con las tarifas del día en que se ganó; la tarifa propia de una sala prevalece sobre la de su plataforma.</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_rates_tab.py" line="147"/>
        <source>every room</source>
        <translation>todas las salas</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_rates_tab.py" line="148"/>
        <location filename="../../godmode_desktop/widgets/admin_rates_tab.py" line="160"/>
        <source>always before</source>
        <translation>siempre antes</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_rates_tab.py" line="171"/>
        <source>{0} is not a room name.</source>
        <translation>{0} no es un nombre de sala.</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_rates_tab.py" line="185"/>
        <source>{0} is not a currency code such as USD, EUR or COP.</source>
        <translation>{0} no es un código de moneda como USD, EUR o COP.</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/alerts_model.py" line="33"/>
        <source>Time</source>
        <extracomment>The entry of a row (for the panel: click → its room).</extracomment>
        <translation>Hora</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/alerts_model.py" line="33"/>
        <source>Alert</source>
        <translation>Alerta</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_audit_tab.py" line="48"/>
        <location filename="../../godmode_desktop/widgets/alerts_model.py" line="33"/>
        <source>Details</source>
        <translation>Detalles</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/alerts_model.py" line="60"/>
        <source> (muted)</source>
        <translation> (silenciada)</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/reports_model.py" line="41"/>
        <source>Model</source>
        <extracomment>The currency of the rows&apos; ``earned_local`` (the studio&apos;s).</extracomment>
        <translation>Modelo</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_rates_tab.py" line="76"/>
        <location filename="../../godmode_desktop/widgets/admin_rates_tab.py" line="94"/>
        <location filename="../../godmode_desktop/widgets/main_window.py" line="137"/>
        <location filename="../../godmode_desktop/widgets/reports_model.py" line="42"/>
        <location filename="../../godmode_desktop/widgets/rooms_columns.py" line="68"/>
        <source>Platform</source>
        <extracomment>Set a payout rate: platform, room (None: the platform&apos;s), rate as typed, first day. Set an exchange rate: currency, units per dollar as typed, first day. What cannot be sent as typed.</extracomment>
        <translation>Plataforma</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/alerts_panel.py" line="29"/>
        <source>All alerts</source>
        <extracomment>The kind filter&apos;s entries: (label, kinds shown; None for all).</extracomment>
        <translation>Todas las alertas</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/alerts_panel.py" line="30"/>
        <location filename="../../godmode_desktop/widgets/reports_model.py" line="44"/>
        <source>Tips</source>
        <translation>Propinas</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/alerts_panel.py" line="31"/>
        <source>Off line / back</source>
        <translation>Desconexiones / vueltas</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/alerts_panel.py" line="32"/>
        <source>Audience drops</source>
        <translation>Caídas de audiencia</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/alerts_panel.py" line="33"/>
        <source>Goals</source>
        <translation>Metas</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/alerts_panel.py" line="34"/>
        <source>Collectors</source>
        <translation>Colectores</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/alerts_panel.py" line="42"/>
        <source>Alerts</source>
        <translation>Alertas</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/alerts_panel.py" line="48"/>
        <source>Show alerts of kind</source>
        <translation>Mostrar alertas del tipo</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/alerts_panel.py" line="56"/>
        <source>Filter by room…</source>
        <translation>Filtrar por sala…</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/alerts_panel.py" line="57"/>
        <source>Filter alerts by room</source>
        <translation>Filtrar alertas por sala</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/alerts_panel.py" line="62"/>
        <source>Alerts of this session</source>
        <translation>Alertas de esta sesión</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/reports_model.py" line="28"/>
        <source>%1 min</source>
        <extracomment>Raw values for sorting (numbers as numbers). The row&apos;s room key ``(room_id, platform)``.</extracomment>
        <translation>%1 min</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/reports_model.py" line="29"/>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/reports_model.py" line="45"/>
        <source>On line</source>
        <translation>En línea</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/reports_model.py" line="46"/>
        <source>Broadcasts</source>
        <translation>Emisiones</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/reports_model.py" line="47"/>
        <source>Peak viewers</source>
        <translation>Pico de espectadores</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/reports_model.py" line="75"/>
        <location filename="../../godmode_desktop/widgets/reports_window.py" line="363"/>
        <source>Earned (%1)</source>
        <translation>Ganado (%1)</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/reports_model.py" line="79"/>
        <source>The tokens at the studio&apos;s payout rates, each at the rate of its day, in the studio&apos;s currency at its exchange rate. — : tokens earned on a day with no rate.</source>
        <translation>Los tokens con las tarifas de pago del estudio, cada uno a la tarifa de su día, en la moneda del estudio a su tipo de cambio. — : tokens ganados un día sin tarifa.</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/rooms_columns.py" line="61"/>
        <source>With money shown (View → Show money): in US dollars at the payout rates the studio set, each token at the rate of its day; — where no rate is set for the room.</source>
        <extracomment>nothing: the row&apos;s identity (room, platform) a new sample of the room the passing of time (an age) The header, translated when asked (the language may change while the app runs). The attribute of :class:`~godmode_desktop.board.Room` shown. Right-aligned, locale-formatted, sorted as a number. The attribute of :class:`~godmode_desktop.board.RoomChange` whose sign flashes the cell green or red (a counter going up or down). What the header&apos;s tooltip says of the column (its window, where it comes from). The attribute shown instead while the grid shows money (dollars, exact). Left out of the grid until the user shows it (the header&apos;s menu).</extracomment>
        <translation>Con el dinero mostrado (Ver → Mostrar dinero): en dólares estadounidenses con las tarifas de pago que fijó el estudio, cada token a la tarifa de su día; — donde la sala no tiene tarifa.</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/rooms_columns.py" line="77"/>
        <source>Tokens earned in the studio&apos;s current shift, across broadcasts, counted as the reports count them (resets, gaps, late samples): equal to Reports for this shift.</source>
        <translation>Tokens ganados en el turno actual del estudio, sumando todas las transmisiones, contados como los cuentan los informes (reinicios, huecos, muestras tardías): igual a Informes para este turno.</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/rooms_columns.py" line="93"/>
        <source>Tokens earned in the studio&apos;s current day (its time zone), across broadcasts, counted as the reports count them: equal to Reports for today.</source>
        <translation>Tokens ganados en el día actual del estudio (en su zona horaria), sumando todas las transmisiones, contados como los cuentan los informes: igual a Informes para hoy.</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/rooms_columns.py" line="102"/>
        <source>Tokens/hour</source>
        <translation>Tokens/hora</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/rooms_columns.py" line="107"/>
        <source>Tokens earned in the last 60 whole minutes, counted as the reports count them (refreshed every minute). Without the reports: the rate over the room&apos;s samples of the last hour, from the server&apos;s history, once they span 10 minutes. — : no samples of the room in that hour.</source>
        <translation>Tokens ganados en los últimos 60 minutos completos, contados como en los informes (se actualiza cada minuto). Sin acceso a los informes: el ritmo según las muestras de la sala en la última hora, del historial del servidor, cuando abarcan 10 minutos. — : ninguna muestra de la sala en esa hora.</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/rooms_columns.py" line="119"/>
        <source>Viewers in the room at its latest sample.</source>
        <translation>Espectadores en la sala en su última muestra.</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/rooms_columns.py" line="122"/>
        <source>This broadcast</source>
        <translation>Esta transmisión</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/rooms_columns.py" line="128"/>
        <source>The room&apos;s token counter as the platform shows it: the current broadcast&apos;s tokens. It starts again with each broadcast.</source>
        <translation>El contador de tokens de la sala tal como lo muestra la plataforma: los tokens de la transmisión actual. Vuelve a empezar con cada transmisión.</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/rooms_columns.py" line="134"/>
        <source>Broadcast tips</source>
        <translation>Propinas de la transmisión</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/rooms_columns.py" line="139"/>
        <source>The room&apos;s tip counter: tips of the current broadcast.</source>
        <translation>El contador de propinas de la sala: propinas de la transmisión actual.</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/rooms_columns.py" line="143"/>
        <source>Last update</source>
        <translation>Última actualización</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/rooms_columns.py" line="146"/>
        <source>How long ago the room&apos;s latest sample was taken.</source>
        <translation>Hace cuánto se tomó la última muestra de la sala.</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/rooms_format.py" line="23"/>
        <source>%1 s ago</source>
        <extracomment>Shown for a value not known yet (tokens/hour before a room has a history).</extracomment>
        <translation>hace %1 s</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/main_window.py" line="527"/>
        <location filename="../../godmode_desktop/widgets/rooms_format.py" line="25"/>
        <source>%1 min ago</source>
        <translation>hace %1 min</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/rooms_format.py" line="26"/>
        <source>%1 h ago</source>
        <translation>hace %1 h</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="69"/>
        <source>Settings</source>
        <extracomment>The muted rooms list&apos;s data role: the room&apos;s key.</extracomment>
        <translation>Ajustes</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="72"/>
        <source>The system&apos;s authorities only</source>
        <translation>Solo las autoridades del sistema</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="75"/>
        <source>Choose…</source>
        <translation>Elegir…</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="85"/>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="98"/>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="186"/>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="101"/>
        <source>System language</source>
        <translation>Idioma del sistema</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="74"/>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="116"/>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="349"/>
        <source>CA certificate</source>
        <translation>Certificado de la CA</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="89"/>
        <source> h</source>
        <translation> h</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="93"/>
        <source>A room that stops sending stays in the grid, greyed with its last values, this long</source>
        <translation>Una sala que deja de enviar sigue en la tabla, en gris y con sus últimos valores, este tiempo</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="144"/>
        <source>On top of the system&apos;s text size (View → Text size)</source>
        <translation>Sobre el tamaño de texto del sistema (Ver → Tamaño del texto)</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="145"/>
        <source>Text size</source>
        <translation>Tamaño del texto</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="147"/>
        <source>Comfortable</source>
        <translation>Cómodas</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="148"/>
        <source>Compact (more rooms on screen)</source>
        <translation>Compactas (más salas en pantalla)</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="150"/>
        <source>Rows</source>
        <translation>Filas</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="151"/>
        <source>Stale after</source>
        <translation>Inactiva tras</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="152"/>
        <source>Keep silent rooms for</source>
        <translation>Mantener las salas en silencio</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="118"/>
        <source>Poll every</source>
        <translation>Consultar cada</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="106"/>
        <source>A new language applies when God Mode starts again.</source>
        <translation>El nuevo idioma se aplica cuando God Mode se vuelva a abrir.</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="119"/>
        <source>Language</source>
        <translation>Idioma</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="132"/>
        <source>As the system</source>
        <translation>Como el sistema</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="133"/>
        <source>Light</source>
        <translation>Claro</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="134"/>
        <source>Dark</source>
        <translation>Oscuro</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="138"/>
        <source>Appearance</source>
        <translation>Apariencia</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="121"/>
        <source>Keep running in the tray when the window is closed</source>
        <translation>Seguir en la bandeja al cerrar la ventana</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="124"/>
        <source>Start God Mode when I log in</source>
        <translation>Iniciar God Mode al iniciar sesión</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="164"/>
        <source>Sound of tier %1</source>
        <translation>Sonido del nivel %1</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="169"/>
        <source>Your own file…</source>
        <translation>Un archivo propio…</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="173"/>
        <source>Tokens for tier %1</source>
        <translation>Tokens del nivel %1</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="174"/>
        <source>Label of tier %1</source>
        <translation>Nombre del nivel %1</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="179"/>
        <source>Tier %1</source>
        <translation>Nivel %1</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="181"/>
        <source>Alert on tips</source>
        <translation>Alertar de propinas</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="188"/>
        <source>Show each alert for</source>
        <translation>Mostrar cada alerta durante</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="189"/>
        <source>Send test alert</source>
        <translation>Enviar alerta de prueba</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="217"/>
        <source>by at least</source>
        <translation>en al menos</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="227"/>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="228"/>
        <source> viewers</source>
        <translation> espectadores</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="229"/>
        <source>in rooms of at least</source>
        <translation>en salas de al menos</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="230"/>
        <source>losing at least</source>
        <translation>perdiendo al menos</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="240"/>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="268"/>
        <source>Muted rooms</source>
        <translation>Salas silenciadas</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="246"/>
        <source>No room is muted. Mute one from its menu in the grid.</source>
        <translation>No hay salas silenciadas. Silencie una desde su menú en la tabla.</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="248"/>
        <source>Unmute</source>
        <translation>Reactivar</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="250"/>
        <source>Unmute all</source>
        <translation>Reactivar todas</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="264"/>
        <source>General</source>
        <translation>General</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="265"/>
        <source>Display</source>
        <translation>Pantalla</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="266"/>
        <source>Tip alerts</source>
        <translation>Alertas de propinas</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="267"/>
        <source>Other alerts</source>
        <translation>Otras alertas</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="200"/>
        <source>A room goes off line (nothing for the stale time) or comes back</source>
        <translation>Una sala se desconecta (nada durante el tiempo de inactividad) o vuelve</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="157"/>
        <source>Tokens in one update that raise each alert:</source>
        <translation>Tokens en una actualización que activan cada alerta:</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="204"/>
        <source>The audience drops</source>
        <translation>La audiencia cae</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="210"/>
        <source>Audience drop, percent</source>
        <translation>Caída de audiencia, porcentaje</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="213"/>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="215"/>
        <source>Audience drop, within minutes</source>
        <translation>Caída de audiencia, en minutos</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="218"/>
        <source>within</source>
        <translation>en</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="222"/>
        <source>Audience drop, smallest audience</source>
        <translation>Caída de audiencia, audiencia mínima</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="226"/>
        <source>Audience drop, fewest viewers lost</source>
        <translation>Caída de audiencia, espectadores perdidos como mínimo</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="232"/>
        <source>A collector (an API key) stops posting, or starts again</source>
        <translation>Un colector (una clave de API) deja de enviar o vuelve a hacerlo</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="302"/>
        <source>Alert sound</source>
        <translation>Sonido de alerta</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="302"/>
        <source>Sounds (*.wav)</source>
        <translation>Sonidos (*.wav)</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="349"/>
        <source>Certificates (*.pem *.crt *.cer)</source>
        <translation>Certificados (*.pem *.crt *.cer)</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/settings_dialog.py" line="357"/>
        <source>No file at %1</source>
        <translation>No hay ningún archivo en %1</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/status_bar.py" line="21"/>
        <source>Connecting</source>
        <translation>Conectando</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/status_bar.py" line="22"/>
        <source>Live</source>
        <translation>En vivo</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/status_bar.py" line="23"/>
        <source>Polling</source>
        <translation>Consultando</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/status_bar.py" line="24"/>
        <source>Offline</source>
        <translation>Sin conexión</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/status_bar.py" line="25"/>
        <source>Login needed</source>
        <translation>Hay que iniciar sesión</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/status_bar.py" line="47"/>
        <source>Reconnect now</source>
        <extracomment>A state was shown (the window&apos;s title says it too). The newest sample&apos;s own time (Unix seconds), once one arrived.</extracomment>
        <translation>Reconectar ahora</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/status_bar.py" line="65"/>
        <source>%1 on %2</source>
        <translation>%1 en %2</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/status_bar.py" line="94"/>
        <source>no data yet</source>
        <translation>aún no hay datos</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/status_bar.py" line="97"/>
        <source>data from %1</source>
        <translation>datos de %1</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/about_dialog.py" line="23"/>
        <source>Version</source>
        <translation>Versión</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/about_dialog.py" line="26"/>
        <source>Qt</source>
        <translation>Qt</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/about_dialog.py" line="27"/>
        <source>Python</source>
        <translation>Python</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/about_dialog.py" line="28"/>
        <source>System</source>
        <translation>Sistema</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/about_dialog.py" line="29"/>
        <source>Log folder</source>
        <translation>Carpeta de registros</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/about_dialog.py" line="41"/>
        <source>About God Mode</source>
        <translation>Acerca de God Mode</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/about_dialog.py" line="53"/>
        <source>Copy diagnostics</source>
        <translation>Copiar diagnóstico</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/error_dialog.py" line="15"/>
        <source>God Mode: unexpected error</source>
        <translation>God Mode: error inesperado</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/error_dialog.py" line="17"/>
        <source>Something went wrong. God Mode goes on, but it may not work as it should.</source>
        <translation>Algo salió mal. God Mode sigue funcionando, pero puede que no lo haga como debería.</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/error_dialog.py" line="19"/>
        <source>The details are in the log: %1</source>
        <translation>Los detalles están en el registro: %1</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/error_dialog.py" line="22"/>
        <source>Copy details</source>
        <translation>Copiar detalles</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/app.py" line="369"/>
        <source>God Mode keeps running here; its menu has Quit.</source>
        <extracomment>How often the app looks for a system tray while it has none, milliseconds. What wires the Reports and Administration windows to the server (one each, per session). Light or dark, following the system (None when there is no QApplication). The server&apos;s time: every age, stale mark and off-line alert is counted on it. Every alert of the session, for the alerts panel.</extracomment>
        <translation>God Mode sigue funcionando aquí; su menú tiene Salir.</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/admin_presenter.py" line="64"/>
        <source>{0} added</source>
        <translation>{0} añadido</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/admin_presenter.py" line="35"/>
        <source>role {0}</source>
        <translation>rol {0}</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/admin_presenter.py" line="37"/>
        <source>reports open</source>
        <translation>informes abiertos</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/admin_presenter.py" line="37"/>
        <source>reports closed</source>
        <translation>informes cerrados</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/admin_presenter.py" line="41"/>
        <source>no rooms</source>
        <translation>ninguna sala</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/admin_presenter.py" line="41"/>
        <source>%1 rooms</source>
        <translation>%1 salas</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/admin_presenter.py" line="42"/>
        <source>{0}: {1}</source>
        <translation>{0}: {1}</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/admin_presenter.py" line="75"/>
        <source>password of {0} reset</source>
        <translation>contraseña de {0} restablecida</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/admin_presenter.py" line="80"/>
        <source>{0} deleted</source>
        <translation>{0} eliminado</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/admin_presenter.py" line="88"/>
        <source>key {0} revoked</source>
        <translation>clave {0} revocada</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/admin_presenter.py" line="96"/>
        <source>{0}: {1} USD per token</source>
        <translation>{0}: {1} USD por token</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/admin_presenter.py" line="104"/>
        <source>{0}: {1} per US dollar</source>
        <translation>{0}: {1} por dólar</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/admin_presenter.py" line="113"/>
        <source>reading rules version {0} published to every collector</source>
        <translation>reglas de lectura versión {0} publicadas a todos los recolectores</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/reports_window.py" line="55"/>
        <location filename="../../godmode_desktop/widgets/rooms_columns.py" line="86"/>
        <source>Today</source>
        <translation>Hoy</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/reports_window.py" line="56"/>
        <source>Yesterday</source>
        <translation>Ayer</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/reports_window.py" line="57"/>
        <location filename="../../godmode_desktop/widgets/rooms_columns.py" line="70"/>
        <source>This shift</source>
        <translation>Este turno</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/reports_window.py" line="58"/>
        <source>Last shift</source>
        <translation>Turno anterior</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/reports_window.py" line="59"/>
        <source>This week</source>
        <translation>Esta semana</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/reports_window.py" line="60"/>
        <source>Last week</source>
        <translation>Semana pasada</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/reports_window.py" line="61"/>
        <source>This month</source>
        <translation>Este mes</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/reports_window.py" line="62"/>
        <source>Last month</source>
        <translation>Mes pasado</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/reports_window.py" line="63"/>
        <source>Custom dates</source>
        <translation>Fechas personalizadas</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/reports_window.py" line="68"/>
        <source>By day</source>
        <translation>Por día</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/reports_window.py" line="68"/>
        <source>By shift</source>
        <translation>Por turno</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/reports_window.py" line="68"/>
        <source>Whole range</source>
        <translation>Todo el intervalo</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/reports_window.py" line="89"/>
        <source>God Mode — Reports</source>
        <extracomment>The user wants a report: start, end (Unix seconds), group. Loading started (True) or ended (False).</extracomment>
        <translation>God Mode — Informes</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/reports_window.py" line="97"/>
        <source>Range</source>
        <translation>Intervalo</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/reports_window.py" line="102"/>
        <source>First day</source>
        <translation>Primer día</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/reports_window.py" line="102"/>
        <source>Last day</source>
        <translation>Último día</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/reports_window.py" line="109"/>
        <source>Type a date or pick one: the range becomes custom</source>
        <translation>Escriba una fecha o elíjala: el rango pasa a ser personalizado</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/reports_window.py" line="111"/>
        <source>Group</source>
        <translation>Agrupar</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/reports_window.py" line="114"/>
        <source>&amp;Refresh</source>
        <translation>&amp;Actualizar</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/reports_window.py" line="117"/>
        <source>The chart in the studio&apos;s currency at its payout rates, instead of tokens</source>
        <translation>El gráfico en la moneda del estudio con sus tarifas de pago, en lugar de tokens</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/reports_window.py" line="119"/>
        <source>&amp;Export CSV…</source>
        <translation>&amp;Exportar CSV…</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/reports_window.py" line="124"/>
        <source>Loading</source>
        <translation>Cargando</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/reports_window.py" line="152"/>
        <source>Earnings per model</source>
        <translation>Ganancias por modelo</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/reports_window.py" line="160"/>
        <source>Nothing earned in this range.</source>
        <translation>Nada ganado en este rango.</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/reports_window.py" line="274"/>
        <source>The report could not be loaded: {0}</source>
        <extracomment>The chart&apos;s bars: each period&apos;s start and its tokens, or its money (exact).</extracomment>
        <translation>No se pudo cargar el informe: {0}</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/reports_window.py" line="286"/>
        <source>{0} to {1} ({2})</source>
        <translation>{0} a {1} ({2})</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/reports_window.py" line="292"/>
        <source>God Mode — Reports — {0}</source>
        <translation>God Mode — Informes — {0}</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/reports_window.py" line="295"/>
        <source>still running: its last minutes may change</source>
        <translation>aún en curso: sus últimos minutos pueden cambiar</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/reports_window.py" line="296"/>
        <source>samples are still being written</source>
        <translation>aún se están guardando muestras</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/reports_window.py" line="297"/>
        <source>samples were lost while the database was away</source>
        <translation>se perdieron muestras mientras la base de datos no respondía</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/reports_window.py" line="298"/>
        <source>samples were refused: older than the server keeps (they came too late)</source>
        <translation>se rechazaron muestras: más antiguas de lo que guarda el servidor (llegaron tarde)</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/reports_window.py" line="303"/>
        <source>Not final: {0}.</source>
        <translation>Provisional: {0}.</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/reports_window.py" line="313"/>
        <source>All models: {0} tokens ({1}), {2} tips, {3} on line, {4} broadcasts</source>
        <translation>Todas las modelos: {0} tokens ({1}), {2} propinas, {3} en línea, {4} emisiones</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/reports_window.py" line="356"/>
        <source>Earned per period ({0}): {1}</source>
        <translation>Ganado por periodo ({0}): {1}</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/reports_window.py" line="358"/>
        <source>(rooms with no payout rate left out)</source>
        <translation>(sin las salas que no tienen tarifa de pago)</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/reports_window.py" line="360"/>
        <source>Tokens per period: {0}</source>
        <translation>Tokens por periodo: {0}</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/reports_window.py" line="354"/>
        <source>all models</source>
        <translation>todas las modelos</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/reports_window.py" line="394"/>
        <source>Export CSV</source>
        <translation>Exportar CSV</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/main_window.py" line="331"/>
        <location filename="../../godmode_desktop/widgets/reports_window.py" line="394"/>
        <source>CSV files (*.csv)</source>
        <translation>Archivos CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/main_window.py" line="339"/>
        <location filename="../../godmode_desktop/widgets/reports_window.py" line="406"/>
        <source>The file could not be written: {0}</source>
        <translation>No se pudo escribir el archivo: {0}</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/reports_window.py" line="408"/>
        <source>Saved to {0}</source>
        <translation>Guardado en {0}</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/password_dialog.py" line="31"/>
        <source>Change password</source>
        <extracomment>The server&apos;s minimum (docs/PROTOCOL.md). The user asks for the change: old password, new password.</extracomment>
        <translation>Cambiar la contraseña</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/password_dialog.py" line="36"/>
        <location filename="../../godmode_desktop/widgets/password_dialog.py" line="50"/>
        <source>Current password</source>
        <translation>Contraseña actual</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/password_dialog.py" line="37"/>
        <location filename="../../godmode_desktop/widgets/password_dialog.py" line="51"/>
        <source>New password</source>
        <translation>Contraseña nueva</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/password_dialog.py" line="38"/>
        <location filename="../../godmode_desktop/widgets/password_dialog.py" line="52"/>
        <source>New password again</source>
        <translation>Repita la contraseña nueva</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/password_dialog.py" line="59"/>
        <source>The new password needs at least 8 characters.</source>
        <translation>La contraseña nueva necesita al menos 8 caracteres.</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/password_dialog.py" line="61"/>
        <source>The two new passwords differ.</source>
        <translation>Las dos contraseñas nuevas no coinciden.</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/password_dialog.py" line="63"/>
        <source>Type your current password.</source>
        <translation>Escriba su contraseña actual.</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/password_dialog.py" line="65"/>
        <source>Changing…</source>
        <translation>Cambiando…</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/rooms_model.py" line="306"/>
        <source>%1 ($)</source>
        <extracomment>Raw values for sorting (numbers as numbers, missing as -1). The row&apos;s room key ``(room_id, platform)``. All the grid&apos;s delegate paints a cell from: ``(text, flash colour or None, stale, numeric)``. Emitted once per frame in which rooms changed: the :class:`Totals` of every room. Rooms whose alerts are muted: their name says so. The shift and day columns show dollars instead of tokens (View → Show money).</extracomment>
        <translation>%1 ($)</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/rooms_model.py" line="330"/>
        <source>%1 · muted</source>
        <translation>%1 · silenciada</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/rooms_model.py" line="345"/>
        <source>This room&apos;s alerts are muted (Settings → Muted rooms).</source>
        <translation>Las alertas de esta sala están silenciadas (Ajustes → Salas silenciadas).</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/rooms_model.py" line="347"/>
        <source>No payout rate is set for this room&apos;s tokens (Administration → Rates).</source>
        <translation>No hay tarifa de pago para los tokens de esta sala (Administración → Tarifas).</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/rooms_model.py" line="362"/>
        <source>up</source>
        <translation>sube</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/rooms_model.py" line="362"/>
        <source>down</source>
        <translation>baja</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_rules_tab.py" line="56"/>
        <source>(left out: private)</source>
        <translation>(omitido: privado)</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_rules_tab.py" line="64"/>
        <source>reads</source>
        <translation>lee</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_rules_tab.py" line="65"/>
        <source>found, no count in it</source>
        <translation>encontrado, sin número</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_rules_tab.py" line="66"/>
        <source>not found</source>
        <translation>no encontrado</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_rules_tab.py" line="67"/>
        <source>malformed selector</source>
        <translation>selector mal formado</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_rules_tab.py" line="68"/>
        <source>not in an outline: use Check this page</source>
        <translation>no está en un esquema: use Comprobar esta página</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_rules_tab.py" line="86"/>
        <location filename="../../godmode_desktop/widgets/admin_rules_tab.py" line="104"/>
        <source>Page outline</source>
        <extracomment>(key, platform, strategies): try them on that key&apos;s outline of the platform. (key, platform): show that key&apos;s outline of the platform. A whole rules document to publish (its version one above the served one).</extracomment>
        <translation>Esquema de página</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_rules_tab.py" line="89"/>
        <location filename="../../godmode_desktop/widgets/admin_rules_tab.py" line="105"/>
        <source>Counter</source>
        <translation>Contador</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_rules_tab.py" line="94"/>
        <source>The page&apos;s outline</source>
        <translation>El esquema de la página</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_rules_tab.py" line="97"/>
        <source>Strategies, in order (JSON)</source>
        <translation>Estrategias, en orden (JSON)</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_rules_tab.py" line="99"/>
        <source>Try on this outline</source>
        <translation>Probar en este esquema</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_rules_tab.py" line="100"/>
        <source>Publish to every collector</source>
        <translation>Publicar a todos los recolectores</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_rules_tab.py" line="101"/>
        <source>Strategy</source>
        <translation>Estrategia</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_rules_tab.py" line="101"/>
        <source>Result</source>
        <translation>Resultado</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_rules_tab.py" line="101"/>
        <source>Count shown</source>
        <translation>Número mostrado</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_rules_tab.py" line="102"/>
        <source>What each strategy reads</source>
        <translation>Lo que lee cada estrategia</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_rules_tab.py" line="149"/>
        <source>Served to collectors: version {version}, published by {who} at {when}</source>
        <translation>Servidas a los recolectores: versión {version}, publicadas por {who} el {when}</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_rules_tab.py" line="155"/>
        <source>Served to collectors: version {version}, from the server&apos;s file</source>
        <translation>Servidas a los recolectores: versión {version}, del archivo del servidor</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_rules_tab.py" line="168"/>
        <source>(the page was larger: cut at {0} elements)</source>
        <translation>(la página era mayor: cortada en {0} elementos)</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_rules_tab.py" line="194"/>
        <source>No page outline yet: on the broadcaster&apos;s PC, open the broadcast page and click Send page outline in the collector&apos;s popup.</source>
        <translation>Aún no hay esquemas de página: en el PC de la emisora, abra la página de emisión y pulse Enviar el esquema de la página en la ventana del recolector.</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_rules_tab.py" line="219"/>
        <source>the strategies are not JSON: {0}</source>
        <translation>las estrategias no son JSON: {0}</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_rules_tab.py" line="222"/>
        <source>the strategies are a JSON list of one or more entries</source>
        <translation>las estrategias son una lista JSON de una o más entradas</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_rules_tab.py" line="238"/>
        <source>{0} has no reading rules to change</source>
        <translation>{0} no tiene reglas de lectura que cambiar</translation>
    </message>
    <message>
        <location filename="../../godmode_desktop/widgets/admin_tables.py" line="60"/>
        <location filename="../../godmode_desktop/widgets/admin_tables.py" line="68"/>
        <source>+%1 more</source>
        <extracomment>Rooms a table&apos;s cell names before &quot;+N more&quot; (its tool tip lists them all). Rooms a tool tip lists before &quot;+N more&quot;.</extracomment>
        <translation>+%1 más</translation>
    </message>
</context>
</TS>
