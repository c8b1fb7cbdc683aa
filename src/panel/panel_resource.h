// Control ids of the settings dialog (panel.rc). Tests find the controls
// by these ids (GetDlgItem), so keep them stable.
#pragma once

#define IDD_A2W_PANEL 100

#define IDC_A2W_MESSAGE 1000      // error or result text at the top
#define IDC_A2W_CONFIG_PATH 1001  // which file the settings live in
#define IDC_A2W_OUTPUT 1010       // output (render) endpoint list
#define IDC_A2W_OUTPUT_INFO 1011
#define IDC_A2W_INPUT 1012        // input (capture / loopback) list
#define IDC_A2W_INPUT_INFO 1013
#define IDC_A2W_MODE 1020         // auto / exclusive / shared
#define IDC_A2W_POLLING 1021      // exclusive with polling instead of events
#define IDC_A2W_BUFFER 1022       // buffer size, frames (editable list)
#define IDC_A2W_RATE 1023         // sample rate, Hz (editable list)
#define IDC_A2W_SAMPLE_TYPE 1024  // host sample type
#define IDC_A2W_DITHER 1025
#define IDC_A2W_DRIFT 1026
#define IDC_A2W_OUT_CHANNELS 1027  // host output channels (editable list: All, 1, 2, ...)
#define IDC_A2W_IN_CHANNELS 1028
#define IDC_A2W_SAFETY 1029       // safety margin: Auto, frames or "N ms" (editable list)
#define IDC_A2W_STATUS 1030       // live status text
#define IDC_A2W_APPLY 1040        // Apply (IDOK and IDCANCEL are the other buttons)

// The window title, which tests look for with FindWindow.
#define A2W_PANEL_TITLE "ASIO2WASAPI Universal settings"
